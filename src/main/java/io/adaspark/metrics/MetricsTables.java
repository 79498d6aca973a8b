package io.adaspark.metrics;

import io.adaspark.config.Canonical;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * pandas, DuckDB and Spark SQL read them as they are. The columns after {@code optimizer_ms}
 * (metrics) and {@code seconds_to_target} (runs) were added later: validation metrics and the
 * run's model and training variant (the columns of {@link RunIdentity#COLUMNS}, spliced into both
 * schemas and rows from that one definition); readers of the older columns are
 * unaffected, and the report reads older outputs without them.
 */
public final class MetricsTables {
  private MetricsTables() {}

  public static final StructType METRICS = schema(List.of(
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
      field("validation_loss", DataTypes.DoubleType, true),
      field("validation_accuracy", DataTypes.DoubleType, true)), RunIdentity.COLUMNS, List.of());

  public static final StructType RUNS = schema(List.of(
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
      field("final_validation_loss", DataTypes.DoubleType, true),
      field("final_validation_accuracy", DataTypes.DoubleType, true),
      field("best_validation_loss", DataTypes.DoubleType, true),
      field("best_validation_accuracy", DataTypes.DoubleType, true)), RunIdentity.COLUMNS, List.of(
      // where the run's evaluations (train/test loss, accuracy, grad norm, suboptimality) were taken:
      // "theta", or "x" for Schedule-Free (whose gradients and batch_loss are at y)
      field("eval_point", DataTypes.StringType, false)));

  /** The columns {@code before}, then the run's identity ({@link RunIdentity#COLUMNS}), then {@code after}. */
  private static StructType schema(List<StructField> before, List<StructField> identity, List<StructField> after) {
    List<StructField> all = new ArrayList<>(before);
    all.addAll(identity);
    all.addAll(after);
    return new StructType(all.toArray(new StructField[0]));
  }

  /** One row: the values {@code before}, then the run's identity (null: null columns), then {@code after}. */
  private static Row row(Object[] before, RunIdentity id, Object... after) {
    Object[] ident = RunIdentity.values(id);
    Object[] all = new Object[before.length + ident.length + after.length];
    System.arraycopy(before, 0, all, 0, before.length);
    System.arraycopy(ident, 0, all, before.length, ident.length);
    System.arraycopy(after, 0, all, before.length + ident.length, after.length);
    return RowFactory.create(all);
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
    return DataTypes.createStructField(name, t, nullable);
  }

  public static List<Row> metricRows(List<RunResult> runs) {
    return metricRows(runs, Map.of());
  }

  /** {@code identities}: each run's {@link RunIdentity} by run id (absent: null columns). */
  public static List<Row> metricRows(List<RunResult> runs, Map<String, RunIdentity> identities) {
    List<Row> out = new ArrayList<>();
    for (RunResult r : sorted(runs)) {
      String config = Canonical.toJson(Canonical.runConfig(r.spec()));
      String type = r.spec().optimizer().typeName();
      double baseLr = r.spec().optimizer().lr();
      RunIdentity id = identities.get(r.runId());
      for (MetricRow m : r.rows()) out.add(metricRow(r, type, config, baseLr, m, id));
    }
    return out;
  }

  /**
   * One row of {@code metrics/} ({@link #METRICS} column order): run {@code r} at row {@code m},
   * with its identity {@code id} (null: null columns).
   */
  public static Row metricRow(RunResult r, String type, String config, double baseLr, MetricRow m, RunIdentity id) {
    return row(new Object[] {r.runId(), type, config, baseLr, r.seed(), m.step(), m.epoch(),
        m.examplesSeen(), m.lr(), m.batchLoss(), m.trainLoss(), m.testLoss(), m.testAccuracy(),
        m.testAuc(), m.gradNorm(), m.suboptimality(), m.wallMs(), m.computeMs(), m.optimizerMs(),
        m.validationLoss(), m.validationAccuracy()}, id);
  }

  public static List<Row> runRows(String job, List<RunResult> runs) {
    return runRows(job, runs, Map.of());
  }

  public static List<Row> runRows(String job, List<RunResult> runs, Map<String, RunIdentity> identities) {
    List<Row> out = new ArrayList<>();
    for (RunResult r : sorted(runs)) {
      MetricRow last = r.finalEval();
      Double bestTrain = null;
      Double bestTest = null;
      Double bestAcc = null;
      Double bestValLoss = null;
      Double bestValAcc = null;
      for (MetricRow m : r.rows()) {
        bestTrain = minOf(bestTrain, m.trainLoss());
        bestTest = minOf(bestTest, m.testLoss());
        bestValLoss = minOf(bestValLoss, m.validationLoss());
        if (m.testAccuracy() != null && (bestAcc == null || m.testAccuracy() > bestAcc)) bestAcc = m.testAccuracy();
        if (m.validationAccuracy() != null && (bestValAcc == null || m.validationAccuracy() > bestValAcc)) {
          bestValAcc = m.validationAccuracy();
        }
      }
      RunIdentity id = identities.get(r.runId());
      out.add(row(new Object[] {r.runId(), job, r.spec().optimizer().typeName(),
          Canonical.toJson(Canonical.runConfig(r.spec())), r.spec().optimizer().lr(), r.seed(),
          r.status(), r.statusDetail(), r.stepsDone(), last == null ? null : last.step(),
          last == null ? null : last.trainLoss(), last == null ? null : last.testLoss(),
          last == null ? null : last.testAccuracy(), last == null ? null : last.gradNorm(),
          bestTrain, bestTest, bestAcc, r.wallMs() / 1000.0, r.stepsToTarget(), r.secondsToTarget(),
          last == null ? null : last.validationLoss(), last == null ? null : last.validationAccuracy(),
          bestValLoss, bestValAcc}, id, r.spec().optimizer().evaluationPoint()));
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
    write(spark, job, runs, out, Map.of());
  }

  /** As {@link #write(SparkSession, String, List, JobOutput)}, with each run's model and training variant. */
  public static void write(SparkSession spark, String job, List<RunResult> runs, JobOutput out,
                           Map<String, RunIdentity> identities) {
    write(spark, job, runs, out, ROWS_PER_FILE, identities);
  }

  static void write(SparkSession spark, String job, List<RunResult> runs, JobOutput out, int rowsPerFile) {
    write(spark, job, runs, out, rowsPerFile, Map.of());
  }

  static void write(SparkSession spark, String job, List<RunResult> runs, JobOutput out, int rowsPerFile,
                    Map<String, RunIdentity> identities) {
    writeTable(spark, metricRows(runs, identities), METRICS, out.tmp("metrics"), rowsPerFile);
    writeTable(spark, runRows(job, runs, identities), RUNS, out.tmp("runs"), rowsPerFile);
  }

  private static void writeTable(SparkSession spark, List<Row> rows, StructType schema, String path, int rowsPerFile) {
    int files = Math.max(1, (rows.size() + rowsPerFile - 1) / rowsPerFile);
    // parallelize keeps the order: slice i holds rows [i·n/files, (i+1)·n/files), written as part i.
    org.apache.spark.api.java.JavaRDD<Row> rdd = org.apache.spark.api.java.JavaSparkContext
        .fromSparkContext(spark.sparkContext()).parallelize(rows, files);
    spark.createDataFrame(rdd, schema).write().mode(SaveMode.ErrorIfExists).parquet(path);
  }
}
