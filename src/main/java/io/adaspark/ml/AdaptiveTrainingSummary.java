package io.adaspark.ml;

import io.adaspark.metrics.MetricsTables;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training summary of an adaptive model: the run as a job would have recorded it.
 * {@link #objectiveHistory} is the full training objective (mean loss + penalty) at every
 * evaluation (step 0, every {@code evalEvery} steps and the last), {@link #totalIterations} the
 * optimizer steps taken, {@link #metrics} and {@link #runs} the rows of the job's
 * {@code metrics/} and {@code runs/} tables for this run (same schema, same values).
 */
public final class AdaptiveTrainingSummary implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final RunResult run;

  AdaptiveTrainingSummary(RunResult run) {
    this.run = run;
  }

  /** The full training objective at each evaluation, in step order. */
  public double[] objectiveHistory() {
    return run.rows().stream().map(MetricRow::trainLoss).filter(x -> x != null).mapToDouble(Double::doubleValue).toArray();
  }

  /** The step of each entry of {@link #objectiveHistory}. */
  public long[] evaluationSteps() {
    return run.rows().stream().filter(r -> r.trainLoss() != null).mapToLong(MetricRow::step).toArray();
  }

  /** Optimizer steps taken. */
  public int totalIterations() {
    return (int) run.stepsDone();
  }

  /** {@code finished} or {@code diverged}. */
  public String status() {
    return run.status();
  }

  /** Why the run stopped early or diverged; empty when it used its whole budget. */
  public String statusDetail() {
    return run.statusDetail();
  }

  /** The run's id (the hash of its configuration, as in a job's tables). */
  public String runId() {
    return run.runId();
  }

  /** The run's rows of a job's {@code metrics/} table (one per step). */
  public Dataset<Row> metrics(SparkSession spark) {
    return spark.createDataFrame(MetricsTables.metricRows(List.of(run)), MetricsTables.METRICS);
  }

  /** The run's row of a job's {@code runs/} table. */
  public Dataset<Row> runs(SparkSession spark) {
    return spark.createDataFrame(MetricsTables.runRows("spark-ml", List.of(run)), MetricsTables.RUNS);
  }

  /** The metric rows as Java records (for tests and callers without a session at hand). */
  public List<MetricRow> metricRows() {
    return run.rows();
  }
}
