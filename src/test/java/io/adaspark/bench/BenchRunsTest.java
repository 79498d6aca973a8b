package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --combine}: ratios over complete runs, per BLAS configuration, worked by hand. */
class BenchRunsTest {
  private static Path run(Path dir, String name, String blas, double r1, double r4a, double r4b) throws Exception {
    Path f = dir.resolve(name);
    String env = blas == null
        ? "{\"linear_algebra\": {\"native_blas\": false}}"
        : "{\"blas\": {\"configuration\": \"" + blas + "\"}}";
    Files.writeString(f, "{\"environment\": " + env + ", \"rows\": ["
        + row("1", "step", "≥ 2.5× faster", r1, r1 >= 2.5)
        + "," + row("4", "K = 8", "≤ 1.5× the anchor", r4a, r4a <= 1.5)
        + "," + row("4", "K = 32", "≤ 1.5× the anchor", r4b, r4b <= 1.5) + "]}");
    return f;
  }

  private static String row(String row, String title, String goal, double ratio, boolean met) {
    return "{\"row\": \"" + row + "\", \"title\": \"" + title + "\", \"goal\": \"" + goal + "\", \"ratio\": " + ratio
        + ", \"met\": " + met + ", \"disturbed\": false}";
  }

  @Test
  void ratiosOverRunsPerBlas(@TempDir Path dir) throws Exception {
    Path a = run(dir, "a.json", null, 6.0, 1.0, 1.6);          // old bench.json: Java BLAS from linear_algebra
    Path b = run(dir, "b.json", "Java BLAS", 2.0, 1.2, 1.1);
    Path c = run(dir, "c.json", "Java BLAS", 4.0, 1.4, 1.2);
    Path d = run(dir, "d.json", "native BLAS", 3.0, 0.9, 2.0);
    assertEquals(0, BenchMain.execute("--combine", a.toString(), b.toString(), c.toString(), d.toString(),
        "--out", dir.resolve("out").toString()));
    JsonNode s = BenchJson.MAPPER.readTree(dir.resolve("out/runs.json").toFile());
    JsonNode java = s.get("Java BLAS");
    assertEquals(3, java.size());
    assertEquals("1", java.get(0).get("row").asText());
    assertEquals(2.0, java.get(0).get("ratio").get("min").asDouble());
    assertEquals(4.0, java.get(0).get("ratio").get("median").asDouble());
    assertEquals(6.0, java.get(0).get("ratio").get("max").asDouble());
    assertEquals(2, java.get(0).get("met").asInt());  // 2.0 misses ≥ 2.5
    assertEquals("4.2", java.get(2).get("row").asText());
    assertEquals(1.2, java.get(2).get("ratio").get("median").asDouble());
    assertEquals(2, java.get(2).get("met").asInt());  // 1.6 misses ≤ 1.5
    JsonNode nat = s.get("native BLAS");
    assertEquals(1, nat.get(0).get("runs").asInt());
    assertEquals(0, nat.get(2).get("met").asInt());
    String md = Files.readString(dir.resolve("out/runs.md"));
    assertTrue(md.contains("| 1 | step | ≥ 2.5× faster | 2.0 / 4.0 / 6.0 | 2 of 3 | 0 |"), md);
    assertTrue(md.contains("## native BLAS"), md);
  }

  @Test
  void aFileThatIsNotABenchJsonIsABadArgument(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("x.json"), "{\"rows\": []}");
    assertEquals(2, BenchMain.execute("--combine", f.toString(), "--out", dir.toString()));
  }
}
