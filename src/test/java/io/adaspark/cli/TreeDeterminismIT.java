package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.adaspark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The summation tree across processes and executor counts: the same job (P = 16 partitions,
 * fan-in F = 4, so 4 tasks a step each folding 4 cached blocks, CSR blocks with sparse partials)
 * run by two real drivers, {@code ./submit.sh --master local[1] run} and {@code --master local[2]
 * run}, writes bit-identical metrics (wall-clock columns aside).
 */
class TreeDeterminismIT {
  static final Path BASE = TestSpark.basedir();
  static final Path DIR = BASE.resolve("target").resolve("it-tree");
  static final int STEPS = 60;

  static String job(String name) {
    return """
        {"name": "%s",
         "data": {"type": "synthetic", "generator": "logistic", "rows": 6000, "features": 20000,
                  "density": 0.002, "seed": 3, "test_fraction": 0.2, "standardize": false},
         "model": {"type": "logreg", "l2": 0.0001},
         "training": {"batch_size": 256, "steps": %d, "eval_every": 20, "seed": 2, "partitions": 16, "fan_in": 4},
         "optimizers": [{"type": "adam", "lr": [0.05, 0.01]}, {"type": "sgd", "lr": 0.5, "momentum": 0.9}]}
        """.formatted(name, STEPS);
  }

  static Process driver(String master, String name) throws Exception {
    Path job = DIR.resolve(name + ".json");
    Files.writeString(job, job(name));
    ProcessBuilder pb = new ProcessBuilder(BASE.resolve("submit.sh").toString(), "--master", master,
        "--conf", "spark.ui.enabled=false", "run", job.toString(), "--output", DIR.resolve("out").toString(),
        "--no-report");
    pb.environment().remove("SPARK_HOME");
    pb.directory(BASE.toFile());
    pb.redirectErrorStream(true).redirectOutput(DIR.resolve(name + ".log").toFile());
    return pb.start();
  }

  static void await(Process p, String name) throws Exception {
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(name + ": still running after 10 minutes");
    }
    assertEquals(0, p.exitValue(), name + " failed:\n" + Files.readString(DIR.resolve(name + ".log")));
  }

  static List<Row> metrics(String name) {
    return TestSpark.session().read().parquet(DIR.resolve("out").resolve(name).resolve("metrics").toString())
        .drop("wall_ms", "compute_ms", "optimizer_ms").orderBy("run_id", "step").collectAsList();
  }

  @Test
  void localOneAndLocalTwoWriteTheSameBits() throws Exception {
    Files.createDirectories(DIR);
    Process one = driver("local[1]", "tree-local1");
    Process two = driver("local[2]", "tree-local2");
    await(one, "tree-local1");
    await(two, "tree-local2");
    List<Row> a = metrics("tree-local1");
    List<Row> b = metrics("tree-local2");
    assertEquals(3 * (STEPS + 1), a.size(), "rows: 3 runs × (steps + step 0)");
    assertEquals(a.size(), b.size());
    int doubles = 0;
    for (int i = 0; i < a.size(); i++) {
      for (int c = 0; c < a.get(i).length(); c++) {
        Object x = a.get(i).get(c);
        Object y = b.get(i).get(c);
        boolean same = x instanceof Double dx && y instanceof Double dy
            ? Double.doubleToRawLongBits(dx) == Double.doubleToRawLongBits(dy) : java.util.Objects.equals(x, y);
        if (x instanceof Double) doubles++;
        if (!same) fail("row " + i + " column " + a.get(i).schema().fieldNames()[c] + ": " + x + " vs " + y);
      }
    }
    assertTrue(doubles > 3 * STEPS, "the comparison saw the losses");
  }
}
