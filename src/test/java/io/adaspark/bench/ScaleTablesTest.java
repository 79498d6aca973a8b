package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's scale tables at tiny sizes on the real local[2] session: both tables, every point
 * with both sides' rounds (min ≤ median ≤ max, the rounds themselves, every attempt), the plot,
 * the markdown table, and which BLAS the JVM used. No timing assertions.
 */
class ScaleTablesTest {
  @Test
  void scaleTablesHaveBothSidesPerRoundAndAPlot(@TempDir Path dir) throws Exception {
    TestSpark.session();
    int code = BenchMain.execute("--quick", "--rows", "none", "--tables", "scale-p,scale-d", "--jvm-warmup", "0",
        "--scale-n", "2000", "--scale-p", "2,3", "--scale-d", "500,5000", "--scale-steps", "2", "--scale-rounds", "3",
        "--out", dir.toString());
    assertEquals(0, code);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    assertTrue(json.get("method").get("fixed").asText().contains("paired rounds"), json.get("method").toString());
    assertEquals("scale-p", json.get("method").get("follow_it").get(0).asText());
    JsonNode tables = json.get("scale_tables");
    assertEquals(2, tables.size());
    assertEquals("scale-p", tables.get(0).get("name").asText());
    assertEquals("scale-d", tables.get(1).get("name").asText());
    assertEquals(List.of(2L, 3L), xs(tables.get(0), "P"));
    assertEquals(List.of(500L, 5000L), xs(tables.get(1), "d"));
    assertEquals(3, json.get("scale_options").get("rounds").asInt());
    for (JsonNode t : tables) {
      assertTrue(t.get("method").asText().contains("paired rounds"), t.toString());
      assertTrue(t.get("command").asText().startsWith("./submit.sh bench"), t.toString());
      for (JsonNode p : t.get("points")) {
        for (String side : new String[] {"adaspark_run_step_s", "anchor_iteration_s", "ratio_anchor_over_adaspark"}) {
          JsonNode s = p.get(side);
          assertEquals(3, s.get("rounds").size(), side + " " + p);
          double min = s.get("min").asDouble(), med = s.get("median").asDouble(), max = s.get("max").asDouble();
          assertTrue(min > 0 && min <= med && med <= max, side + " " + p);
        }
        assertTrue(p.get("attempts").size() >= 1, p.toString());
        assertEquals(3, p.get("attempts").get(0).get("anchor_iteration_s").size(), p.toString());
        assertTrue(p.get("load").has("other_cpu_cores"), p.toString());
      }
      assertTrue(Files.size(dir.resolve(t.get("name").asText() + ".png")) > 1000);
    }
    assertEquals(2000, tables.get(1).get("points").get(0).get("n").asLong());
    assertEquals(3, tables.get(0).get("points").get(1).get("partitions").asInt());
    String md = Files.readString(dir.resolve("bench.md"));
    assertTrue(md.contains("| 5000 | "), md);
    JsonNode blas = json.get("environment").get("blas");
    assertTrue(blas.get("driver").asText().startsWith("dev.ludovic.netlib.blas."), blas.toString());
    assertTrue(blas.get("executors").size() >= 1 && blas.get("executors").get(0).asText().startsWith("dev.ludovic.netlib.blas."),
        blas.toString());
    assertTrue(md.contains("BLAS.getInstance(): driver `" + blas.get("driver").asText() + "`"), md);
  }

  @Test
  void unknownTableIsABadArgument() {
    assertEquals(2, BenchMain.execute("--tables", "scale-x"));
  }

  @Test
  void statsAreMinMedianMaxOfTheRounds() {
    Map<String, Object> s = ScaleTables.stats(new double[] {0.3, 0.1, 0.2, 0.5});
    assertEquals(0.1, s.get("min"));
    assertEquals(0.25, s.get("median"));
    assertEquals(0.5, s.get("max"));
    assertEquals(List.of(0.3, 0.1, 0.2, 0.5), s.get("rounds"));
  }

  private static List<Long> xs(JsonNode t, String variable) {
    List<Long> out = new java.util.ArrayList<>();
    for (JsonNode p : t.get("points")) out.add(p.get(variable).asLong());
    return out;
  }
}
