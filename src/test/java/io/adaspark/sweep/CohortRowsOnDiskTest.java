package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.metrics.JobOutput;
import io.adaspark.metrics.MetricsTables;
import io.adaspark.metrics.RunIdentity;
import io.adaspark.model.Model;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed cohort's rows are on disk (its part) and the driver keeps only summaries; the final
 * tables, built from the parts, equal row for row what the in-memory path writes from the full
 * results of the same cohorts, trained directly — also after a stop and {@code --resume}.
 */
class CohortRowsOnDiskTest {
  static final String[] WALL = {"wall_ms", "compute_ms", "optimizer_ms"};

  /** Two cohorts (batch sizes 32 and 16, one epoch: 7 and 13 steps), three runs each. */
  static String job(Path out) {
    return """
        {"name": "rows",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25, "split_seed": 3},
         "model": {"type": "logreg", "l2": 0.001},
         "training": {"batch_size": [32, 16], "epochs": 1, "eval_every": 3, "seed": 4, "partitions": 3},
         "optimizers": [{"type": "sgd", "lr": [0.2, 0.05], "momentum": 0.9}, {"type": "adam", "lr": 0.03}],
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), out);
  }

  /** The rows of every Parquet file of a table without the wall-clock columns, files in name order. */
  static List<List<Row>> files(SparkSession spark, Path dir) throws IOException {
    List<List<Row>> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        all.add(spark.read().parquet(f.toString()).drop(WALL).drop("wall_seconds", "seconds_to_target")
            .collectAsList());
      }
    }
    return all;
  }

  @Test
  void committedRowsAreOnDiskAndTheFinalTablesEqualTheInMemoryPath(@TempDir Path tmp) throws IOException {
    SparkSession spark = TestSpark.session();
    JobSpec spec = JobLoader.parse(job(tmp.resolve("out")), "job.json");
    java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());

    // Stop the sweep at step 10: the first cohort (7 steps) is committed, the second is not.
    assertThrows(Trainer.Stopped.class, () -> JobRunner.run(spark, spec, quiet, new JobRunner.Options(false, 10)));
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path parts = new org.apache.hadoop.fs.Path(tmp.resolve("out/.rows.work/parts").toUri());
    Map<String, CommittedRun> committed = PartStore.committed(fs, parts);
    assertEquals(3, committed.size(), committed.keySet().toString());
    String part = committed.values().iterator().next().part();
    assertTrue(Files.exists(tmp.resolve("out/.rows.work/parts/" + part + ".bin")));

    // The same runs trained directly, with their full rows: the old in-memory tables.
    List<RunResult> full = trainDirectly(spark, spec);
    assertEquals(6, full.size());
    long steps32 = full.get(0).rows().size() - 1;
    long steps16 = full.get(5).rows().size() - 1;
    assertTrue(steps32 < 10 && steps16 > 10, steps32 + " and " + steps16 + " steps");
    for (CommittedRun c : committed.values()) {
      assertEquals(part, c.part());
      assertEquals(steps32 + 1, c.metricRows(), "steps 0.." + steps32);
      assertEquals(1, c.summary().rows().size(), "a summary keeps only its final evaluation row");
      assertEquals(steps32, c.summary().rows().get(0).step());
    }

    // The committed part holds exactly the first cohort's rows, in run-id-then-step order.
    List<RunResult> first = full.stream().filter(r -> committed.containsKey(r.runId())).toList();
    List<Row> partRows = spark.read().parquet(tmp.resolve("out/.rows.work/parts/" + part + ".rows/metrics.parquet")
        .toString()).drop(WALL).collectAsList();
    Map<String, RunIdentity> ids = new HashMap<>();
    for (PlannedRun r : SweepPlan.plan(spec)) ids.put(r.runId(), RunIdentity.of(r, null));
    List<Row> expectedPart = spark.createDataFrame(MetricsTables.metricRows(first, ids), MetricsTables.METRICS)
        .drop(WALL).collectAsList();
    assertEquals(expectedPart, partRows);

    // Resume: the committed cohort is reused, the other retrained; the driver keeps summaries only.
    JobRunner.Outcome resumed = JobRunner.run(spark, spec, quiet, JobRunner.Options.resuming());
    assertEquals(3, resumed.reused());
    assertEquals(6, resumed.runs().size());
    for (RunResult r : resumed.runs()) assertTrue(r.rows().size() <= 1, r.runId() + " keeps " + r.rows().size());
    assertFalse(Files.exists(tmp.resolve("out/.rows.work")), "the work directory goes once the result is committed");
    assertTrue(Files.exists(tmp.resolve("out/rows/parts/all.bin")));
    assertTrue(Files.exists(tmp.resolve("out/rows/parts/" + part + ".rows/metrics.parquet")), "parts kept for --resume");

    JobOutput old = new JobOutput(spark.sparkContext().hadoopConfiguration(), tmp.resolve("old").toString(), "rows");
    MetricsTables.write(spark, "rows", full, old, ids);
    old.commit();
    List<List<Row>> oldMetrics = files(spark, tmp.resolve("old/rows/metrics"));
    assertEquals(3 * (steps32 + 1) + 3 * (steps16 + 1), oldMetrics.get(0).size());
    assertEquals(oldMetrics, files(spark, tmp.resolve("out/rows/metrics")));
    assertEquals(files(spark, tmp.resolve("old/rows/runs")), files(spark, tmp.resolve("out/rows/runs")));

    // --resume after the complete sweep retrains nothing and writes the same tables again.
    JobRunner.Outcome again = JobRunner.run(spark, spec, quiet, JobRunner.Options.resuming());
    assertEquals(6, again.reused());
    assertEquals(0, again.cohorts());
    assertEquals(oldMetrics, files(spark, tmp.resolve("out/rows/metrics")));
    assertEquals(files(spark, tmp.resolve("old/rows/runs")), files(spark, tmp.resolve("out/rows/runs")));
  }

  /** Every run of the job, trained cohort by cohort with {@link Trainer#train}: full results, plan order. */
  static List<RunResult> trainDirectly(SparkSession spark, JobSpec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PreparedData data = DatasetLoader.load(spark, spec.data(), spec.training().partitions());
    try {
      Model model = spec.models().get(0).build(data.numFeatures(), data.numClasses());
      List<PlannedRun> plan = SweepPlan.plan(spec);
      Map<String, RunResult> byId = new HashMap<>();
      for (SweepPlan.Cohort c : SweepPlan.cohorts(plan, Map.of(spec.models().get(0), model.numParams()),
          data.trainRows(), Runtime.getRuntime().maxMemory())) {
        Trainer t = new Trainer(jsc, data, model, c.runs().get(0).training(), null);
        for (RunResult r : t.train(c.runs())) byId.put(r.runId(), r);
      }
      return plan.stream().map(r -> byId.get(r.runId())).toList();
    } finally {
      data.unpersist();
    }
  }
}
