package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on a real local[2] session: fused = one at a time, divergence isolation, checkpoints. */
class SweepRunTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String job(Path out, String training, String optimizers) {
    return """
        {"name": "sw",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "logreg", "l2": 0.001},
         "training": %s,
         "optimizers": %s,
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), training, optimizers, out);
  }

  static JobRunner.Outcome run(String text, JobRunner.Options options) throws IOException {
    JobSpec spec = JobLoader.parse(text, "job.json");
    return JobRunner.run(spark, spec, new PrintStream(new ByteArrayOutputStream()), options);
  }

  /** Metrics and runs tables without wall-clock columns, sorted. */
  static List<List<Row>> tables(Path dir) {
    return List.of(
        spark.read().parquet(dir.resolve("metrics").toString()).drop("wall_ms", "compute_ms", "optimizer_ms")
            .orderBy("run_id", "step").collectAsList(),
        spark.read().parquet(dir.resolve("runs").toString()).drop("wall_seconds", "seconds_to_target")
            .orderBy("run_id").collectAsList());
  }


  static String opts() {
    return "[{\"type\": \"sgd\", \"lr\": [0.3, 0.03], \"momentum\": 0.9}, {\"type\": \"adam\", \"lr\": 0.05},"
        + " {\"type\": \"adam\", \"lr\": 0.01, \"amsgrad\": true}, {\"type\": \"rmsprop\", \"lr\": 0.01}]";
  }

  @Test
  void fusedCohortsEqualOneRunAtATime(@TempDir Path tmp) throws IOException {
    String training = "{\"batch_size\": 16, \"steps\": 20, \"eval_every\": 10, \"seeds\": [3, 4], \"partitions\": 3%s}";
    JobRunner.Outcome fused = run(job(tmp.resolve("fused"), training.formatted(""), opts()), JobRunner.Options.DEFAULT);
    assertEquals(2, fused.cohorts(), "one cohort per seed");
    // A memory budget too small for two runs: every run alone, on two driver threads.
    JobRunner.Outcome single = run(job(tmp.resolve("single"),
        training.formatted(", \"cohort_memory_mb\": 0.00001, \"parallelism\": 2"), opts()), JobRunner.Options.DEFAULT);
    assertEquals(10, single.cohorts());
    List<List<Row>> a = tables(tmp.resolve("fused").resolve("sw"));
    List<List<Row>> b = tables(tmp.resolve("single").resolve("sw"));
    assertEquals(10 * 21, a.get(0).size());
    assertEquals(a, b);
  }

  @Test
  void aDivergingRunLeavesTheOthersBitIdentical(@TempDir Path tmp) throws IOException {
    String training = "{\"batch_size\": 16, \"steps\": 20, \"eval_every\": 5, \"seed\": 5, \"partitions\": 3}";
    JobRunner.Outcome with = run(job(tmp.resolve("with"), training,
        "[{\"type\": \"sgd\", \"lr\": [0.1, 1000]}, {\"type\": \"adam\", \"lr\": [0.05, 1000]}]"), JobRunner.Options.DEFAULT);
    JobRunner.Outcome without = run(job(tmp.resolve("without"), training,
        "[{\"type\": \"sgd\", \"lr\": 0.1}, {\"type\": \"adam\", \"lr\": 0.05}]"), JobRunner.Options.DEFAULT);
    assertEquals(1, with.cohorts());
    List<RunResult> diverged = with.runs().stream().filter(r -> r.status().equals("diverged")).toList();
    assertEquals(2, diverged.size(), with.runs().toString());
    for (RunResult r : diverged) {
      assertEquals(1000.0, r.spec().optimizer().lr());
      assertTrue(r.stepsDone() < 20, r.statusDetail());
      assertTrue(r.statusDetail().contains("initial loss") || r.statusDetail().contains("non-finite"), r.statusDetail());
    }
    List<List<Row>> a = tables(tmp.resolve("with").resolve("sw"));
    List<List<Row>> b = tables(tmp.resolve("without").resolve("sw"));
    List<String> kept = without.runs().stream().map(RunResult::runId).toList();
    assertEquals(b.get(0), a.get(0).stream().filter(r -> kept.contains(r.getString(0))).toList());
    assertEquals(b.get(1), a.get(1).stream().filter(r -> kept.contains(r.getString(0))).toList());
    Row status = spark.read().parquet(tmp.resolve("with/sw/runs").toString())
        .where("run_id = '" + diverged.get(0).runId() + "'").first();
    assertEquals("diverged", status.getString(status.fieldIndex("status")));
  }

  @Test
  void aStoppedCohortResumesFromItsCheckpointBitIdentically(@TempDir Path tmp) throws IOException {
    String training = "{\"batch_size\": 16, \"steps\": 30, \"eval_every\": 7, \"seed\": 8, \"partitions\": 3,"
        + " \"checkpoint_every\": 5, \"target_loss\": 0.45, \"stop_at_target\": true}";
    String opts = "[{\"type\": \"adam\", \"lr\": [0.05, 0.01]}, {\"type\": \"nadam\", \"lr\": 0.02},"
        + " {\"type\": \"sgd\", \"lr\": 0.2, \"momentum\": 0.9, \"nesterov\": true}]";
    Path full = tmp.resolve("full");
    run(job(full, training, opts), JobRunner.Options.DEFAULT);
    Path cut = tmp.resolve("cut");
    String text = job(cut, training, opts);
    assertThrows(Trainer.Stopped.class, () -> run(text, new JobRunner.Options(false, 12)));
    assertFalse(Files.exists(cut.resolve("sw")), "no final tables after a failure");
    assertTrue(Files.exists(cut.resolve(".sw.work/checkpoints")), "a checkpoint was written");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    JobRunner.run(spark, JobLoader.parse(text, "job.json"), new PrintStream(log, true), JobRunner.Options.resuming());
    assertTrue(log.toString().contains("resuming the cohort from its checkpoint at step 10"), log.toString());
    assertEquals(tables(full.resolve("sw")), tables(cut.resolve("sw")));
    assertFalse(Files.exists(cut.resolve(".sw.work")), "the work directory goes once the result is committed");
    List<Row> runs = tables(full.resolve("sw")).get(1);
    assertTrue(runs.stream().anyMatch(r -> !r.isNullAt(r.fieldIndex("steps_to_target"))
        && r.getString(r.fieldIndex("status_detail")).startsWith("target loss 0.45 reached at step")
        && r.getLong(r.fieldIndex("steps")) < 30), runs.toString());
    assertNotEquals(0, runs.size());
  }
}
