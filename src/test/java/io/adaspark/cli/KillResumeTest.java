package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real driver process ({@code java … io.adaspark.cli.Main run}) killed with SIGKILL after its
 * first cohort is committed; {@code run --resume} then skips the committed runs and yields the
 * same final tables as an uninterrupted sweep.
 */
class KillResumeTest {
  static String job(String name) {
    return """
        {"name": "%s",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "logreg", "l2": 0.001},
         "training": {"batch_size": 16, "steps": 40, "eval_every": 20, "seeds": [1, 2, 3], "partitions": 3,
                      "checkpoint_every": 20},
         "optimizers": [{"type": "sgd", "lr": [0.1, 0.01]}, {"type": "adam", "lr": 0.02}]}
        """.formatted(name, TestSpark.data("heart_scale.libsvm"));
  }

  static List<List<Row>> tables(SparkSession spark, Path dir) {
    return List.of(
        spark.read().parquet(dir.resolve("metrics").toString()).drop("wall_ms", "compute_ms", "optimizer_ms")
            .orderBy("run_id", "step").collectAsList(),
        spark.read().parquet(dir.resolve("runs").toString()).drop("wall_seconds", "seconds_to_target")
            .orderBy("run_id").collectAsList());
  }

  @Test
  void killedDriverResumesToTheSameTables(@TempDir Path tmp) throws Exception {
    SparkSession spark = TestSpark.session();
    Path jobFile = RunEndToEndTest.write(tmp, "job.json", job("kr"));
    Path killed = tmp.resolve("killed");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-agentlib") || a.startsWith("-javaagent")) continue;
      cmd.add(a);
    }
    cmd.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
        "-cp", System.getProperty("java.class.path"), "io.adaspark.cli.Main",
        "run", jobFile.toString(), "--output", killed.toString()));
    File log = tmp.resolve("driver.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    Path parts = killed.resolve(".kr.work").resolve("parts");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      while (!hasPart(parts) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
      assertTrue(hasPart(parts), "no cohort committed; driver log:\n" + Files.readString(log.toPath()));
      assertTrue(p.isAlive(), "the driver finished before it could be killed");
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(killed.resolve("kr")), "no final tables from the killed driver");

    Cli.Result resumed = Cli.run("run", jobFile.toString(), "--output", killed.toString(),
        "--resume");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.err().contains("resume: "), resumed.err());
    assertFalse(resumed.out().contains(" 0 reused"), resumed.out());

    Path clean = tmp.resolve("clean");
    Cli.Result full = Cli.run("run", jobFile.toString(), "--output", clean.toString());
    assertEquals(0, full.code(), full.err());
    assertEquals(tables(spark, clean.resolve("kr")), tables(spark, killed.resolve("kr")));
    assertEquals(9, tables(spark, killed.resolve("kr")).get(1).size());
  }

  static boolean hasPart(Path parts) throws IOException {
    if (!Files.isDirectory(parts)) return false;
    try (Stream<Path> s = Files.list(parts)) {
      return s.anyMatch(f -> f.getFileName().toString().endsWith(".bin"));
    }
  }
}
