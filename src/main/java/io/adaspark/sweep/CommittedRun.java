package io.adaspark.sweep;

import io.adaspark.metrics.CohortParts;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.Serializable;
import java.util.List;

/**
 * What the driver keeps of a run once its cohort is committed: a summary — the {@link RunResult}
 * with its identity, status, steps, wall time and target figures, whose {@code rows} hold only
 * the final evaluation row (for the stdout table and the progress line) — the number of metric
 * rows it wrote, and the name of its cohort's part ({@code <part>.rows/} beside the
 * {@code <part>.bin} that commits it). O(1) per run, whatever the steps: the metric rows themselves
 * are on disk, in the part. {@code rowsDir} is where the part was found (set when read back, so
 * that a moved part is still found).
 */
record CommittedRun(RunResult summary, long metricRows, String part, String rowsDir) implements Serializable {

  /** The summary of a finished run whose rows went to part {@code part}, found at {@code rowsDir}. */
  static CommittedRun of(RunResult full, String part, String rowsDir) {
    MetricRow last = full.finalEval();
    RunResult summary = new RunResult(full.runId(), full.spec(), full.seed(), full.status(), full.stepsDone(),
        full.statusDetail(), last == null ? List.of() : List.of(last), full.wallMs(), full.stepsToTarget(),
        full.secondsToTarget());
    return new CommittedRun(summary, full.rows().size(), part, rowsDir);
  }

  String runId() {
    return summary.runId();
  }

  CommittedRun at(String dir) {
    return new CommittedRun(summary, metricRows, part, dir);
  }

  CohortParts.Source source() {
    return new CohortParts.Source(summary.runId(), metricRows, rowsDir);
  }
}
