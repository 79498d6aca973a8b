package io.adaspark.metrics;

import io.adaspark.config.Canonical;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two Parquet tables of a job: {@code metrics/} (one row per run and step) and
 * {@code runs/} (one row per run). Plain column types only (strings, longs, doubles), so
 * pandas, DuckDB and Spark SQL read them as they are.
 */
public final class MetricsTables {
  private MetricsTables() {}

  public static final StructType METRICS = new StructType(new StructField[] {
      field("run_id", DataTypes.StringType, false),
      field("optimizer", DataTypes.StringType, false),
      field("config", DataTypes.StringType, false),
      field("base_lr", DataTypes.DoubleType, false),
      field("seed", DataTypes.LongType, false),
      field("step", DataTypes.LongType, false),
      field("epoch", DataTypes.DoubleType, false),
      field("examples_seen", DataTypes.LongType, false),
      field("lr", DataTypes.DoubleType, true),
      field("batch_loss", DataTypes.DoubleType, true),
      field("train_loss", DataTypes.DoubleType, true),
      field("test_loss", DataTypes.DoubleType, true),
      field("test_accuracy", DataTypes.DoubleType, true),
      field("test_auc", DataTypes.DoubleType, true),
      field("grad_norm", DataTypes.DoubleType, true),
      field("suboptimality", DataTypes.DoubleType, true),
      field("wall_ms", DataTypes.DoubleType, false),
      field("compute_ms", DataTypes.DoubleType, false),
      field("optimizer_ms", DataTypes.DoubleType, false),
  });

  public static final StructType RUNS = new StructType(new StructField[] {
      field("run_id", DataTypes.StringType, false),
      field("job", DataTypes.StringType, false),
      field("optimizer", DataTypes.StringType, false),
      field("config", DataTypes.StringType, false),
      field("base_lr", DataTypes.DoubleType, false),
      field("seed", DataTypes.LongType, false),
      field("status", DataTypes.StringType, false),
      field("status_detail", DataTypes.StringType, false),
      field("steps", DataTypes.LongType, false),
      field("final_step", DataTypes.LongType, true),
      field("final_train_loss", DataTypes.DoubleType, true),
      field("final_test_loss", DataTypes.DoubleType, true),
      field("final_test_accuracy", DataTypes.DoubleType, true),
      field("final_grad_norm", DataTypes.DoubleType, true),
      field("best_train_loss", DataTypes.DoubleType, true),
      field("best_test_loss", DataTypes.DoubleType, true),
      field("best_test_accuracy", DataTypes.DoubleType, true),
      field("wall_seconds", DataTypes.DoubleType, false),
      field("steps_to_target", DataTypes.LongType, true),
      field("seconds_to_target", DataTypes.DoubleType, true),
  });

  private static StructField field(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
    return DataTypes.createStructField(name, t, nullable);
  }

  public static List<Row> metricRows(List<RunResult> runs) {
    List<Row> out = new ArrayList<>();
    for (RunResult r : sorted(runs)) {
      String config = Canonical.toJson(Canonical.runConfig(r.spec()));
      String type = r.spec().optimizer().typeName();
      double baseLr = r.spec().optimizer().lr();
      for (MetricRow m : r.rows()) out.add(metricRow(r, type, config, baseLr, m));
    }
    return out;
  }

  /** One row of {@code metrics/} ({@link #METRICS} column order): run {@code r} at row {@code m}. */
  public static Row metricRow(RunResult r, String type, String config, double baseLr, MetricRow m) {
    return RowFactory.create(r.runId(), type, config, baseLr, r.seed(), m.step(), m.epoch(),
        m.examplesSeen(), m.lr(), m.batchLoss(), m.trainLoss(), m.testLoss(), m.testAccuracy(),
        m.testAuc(), m.gradNorm(), m.suboptimality(), m.wallMs(), m.computeMs(), m.optimizerMs());
  }

  public static List<Row> runRows(String job, List<RunResult> runs) {
    List<Row> out = new ArrayList<>();
    for (RunResult r : sorted(runs)) {
      MetricRow last = r.finalEval();
      Double bestTrain = null;
      Double bestTest = null;
      Double bestAcc = null;
      for (MetricRow m : r.rows()) {
        bestTrain = minOf(bestTrain, m.trainLoss());
        bestTest = minOf(bestTest, m.testLoss());
        if (m.testAccuracy() != null && (bestAcc == null || m.testAccuracy() > bestAcc)) bestAcc = m.testAccuracy();
      }
      out.add(RowFactory.create(r.runId(), job, r.spec().optimizer().typeName(),
          Canonical.toJson(Canonical.runConfig(r.spec())), r.spec().optimizer().lr(), r.seed(),
          r.status(), r.statusDetail(), r.stepsDone(), last == null ? null : last.step(),
          last == null ? null : last.trainLoss(), last == null ? null : last.testLoss(),
          last == null ? null : last.testAccuracy(), last == null ? null : last.gradNorm(),
          bestTrain, bestTest, bestAcc, r.wallMs() / 1000.0, r.stepsToTarget(), r.secondsToTarget()));
    }
    return out;
  }

  private static Double minOf(Double a, Double b) {
    if (b == null || !Double.isFinite(b)) return a;
    return a == null || b < a ? b : a;
  }

  private static List<RunResult> sorted(List<RunResult> runs) {
    List<RunResult> s = new ArrayList<>(runs);
    s.sort(Comparator.comparing(RunResult::runId));
    return s;
  }

  /**
   * Rows per Parquet file (and per write task). The rows are built on the driver, and a task
   * carries its share of them: one task for a big sweep's whole table (e.g. 1,000 runs × 2,000
   * steps) would exceed what a cluster's RPC accepts ({@code spark.rpc.message.maxSize}, 128 MB)
   * and the job would fail at its very end. About 9 MB per task at this size (Java-serialized rows).
   */
  static final int ROWS_PER_FILE = 50_000;

  /**
   * Writes both tables: {@code metrics/} and {@code runs/}, each one Parquet file per
   * {@link #ROWS_PER_FILE} rows (one file for most jobs), rows in order (by run id, then step)
   * across files numbered in that order.
   */
  public static void write(SparkSession spark, String job, List<RunResult> runs, JobOutput out) {
    write(spark, job, runs, out, ROWS_PER_FILE);
  }

  static void write(SparkSession spark, String job, List<RunResult> runs, JobOutput out, int rowsPerFile) {
    writeTable(spark, metricRows(runs), METRICS, out.tmp("metrics"), rowsPerFile);
    writeTable(spark, runRows(job, runs), RUNS, out.tmp("runs"), rowsPerFile);
  }

  private static void writeTable(SparkSession spark, List<Row> rows, StructType schema, String path, int rowsPerFile) {
    int files = Math.max(1, (rows.size() + rowsPerFile - 1) / rowsPerFile);
    // parallelize keeps the order: slice i holds rows [i·n/files, (i+1)·n/files), written as part i.
    org.apache.spark.api.java.JavaRDD<Row> rdd = org.apache.spark.api.java.JavaSparkContext
        .fromSparkContext(spark.sparkContext()).parallelize(rows, files);
    spark.createDataFrame(rdd, schema).write().mode(SaveMode.ErrorIfExists).parquet(path);
  }
}
