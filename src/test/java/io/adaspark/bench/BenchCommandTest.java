package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code bench --quick} on tiny data: every row and table is produced with numeric
 * figures, a ratio, a goal and the load it saw. No timing assertions (timing belongs to the
 * benchmark, not to the test suite).
 */
class BenchCommandTest {
  @Test
  void quickBenchWritesEveryRowWithNumbers(@TempDir Path dir) throws Exception {
    TestSpark.session();
    int code = BenchMain.execute("--quick", "--n", "4000", "--sparse-n", "4000", "--jvm-warmup", "3",
        "--out", dir.toString());
    assertEquals(0, code);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    Set<String> rows = new TreeSet<>();
    for (JsonNode r : json.get("rows")) {
      rows.add(r.get("row").asText());
      String what = "row " + r.get("row").asText() + " " + r.get("title").asText();
      assertTrue(r.get("adaspark_value").isNumber(), what + ": adaspark_value " + r.get("adaspark_value"));
      assertTrue(r.get("anchor_value").isNumber(), what + ": anchor_value " + r.get("anchor_value"));
      assertTrue(r.get("ratio").isNumber(), what + ": ratio " + r.get("ratio"));
      assertTrue(r.get("met").isBoolean(), what);
      assertTrue(r.get("goal").asText().contains("×"), what);
      assertTrue(r.get("command").asText().startsWith("./submit.sh bench"), what);
      for (JsonNode side : r.get("load")) {
        assertEquals(side.get("other_cpu_cores_per_attempt").size(), side.get("steal_cores_per_attempt").size(), what);
      }
    }
    assertEquals(new TreeSet<>(Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")), rows);
    for (JsonNode r : json.get("rows")) {
      JsonNode detail = r.get("detail");
      if (r.get("row").asText().equals("3")) {
        // judged on the lean floor (runJob, no closure cleaning); the aggregate floor beside it
        assertTrue(r.get("anchor").asText().startsWith("lean Spark floor"), r.toString());
        assertTrue(detail.get("aggregate_floor_s").isNumber(), r.toString());
      }
      if (r.get("row").asText().equals("4")) {
        // the measured wall holds every step's compute and optimizer time, and the evaluations
        for (int i = 0; i < detail.get("walls_s").size(); i++) {
          assertTrue(detail.get("walls_s").get(i).asDouble() >= detail.get("compute_plus_optimizer_s").get(i).asDouble(),
              r.toString());
        }
      }
    }
    assertEquals(3, json.get("tables").size());
    for (JsonNode t : json.get("tables")) {
      assertTrue(t.get("points").size() >= 2, t.get("name").asText());
      for (JsonNode p : t.get("points")) assertTrue(p.get("step_s_median").isNumber(), t.toString());
      assertTrue(Files.size(dir.resolve("scaling-" + t.get("name").asText() + ".png")) > 1000);
    }
    assertTrue(json.get("environment").get("loadavg_start").isTextual());
    assertTrue(json.get("environment").get("complete").asBoolean());
    assertEquals(3, json.get("environment").get("jvm_warmup_steps").asInt());
    assertTrue(json.get("environment").get("jvm_warmup_s").asDouble() > 0);
    // The hypervisor's steal time beside the other processes' CPU (Linux: /proc/stat).
    JsonNode whole = json.get("environment").get("whole_run_load_long_lived_processes");
    assertTrue(whole.get("steal_cores").isNumber() && whole.get("steal_cores").asDouble() >= 0, whole.toString());
    assertTrue(Files.readString(dir.resolve("bench.md")).contains("| 10 |"));
    // MLlib's BLAS / LAPACK, on which the MLlib side of the figures depends.
    JsonNode la = json.get("environment").get("linear_algebra");
    assertTrue(la.get("blas").asText().startsWith("dev.ludovic.netlib.blas."), la.toString());
    assertTrue(la.get("lapack").asText().startsWith("dev.ludovic.netlib.lapack."), la.toString());
    assertTrue(Files.readString(dir.resolve("bench.md")).contains("MLlib's BLAS: `" + la.get("blas").asText()
        + "`, LAPACK: `" + la.get("lapack").asText() + "`"));
    assertTrue(Files.readString(dir.resolve("bench.md")).contains("JVM warm-up before the first row: 3 adaspark steps"));
  }

  @Test
  void unknownRowIsABadArgument() {
    assertEquals(2, BenchMain.execute("--rows", "11"));
  }
}
