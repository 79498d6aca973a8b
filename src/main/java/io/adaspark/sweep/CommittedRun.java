package io.adaspark.sweep;

import io.adaspark.metrics.CohortParts;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.Serializable;
import java.util.List;

/**
 * What the driver keeps of a run once its cohort is committed: a summary — the {@link RunResult}
 * with its identity, status, steps, wall time and target figures, whose {@code rows} hold only
 * the final evaluation row (for the stdout table and the progress line) and, in a multi-fidelity
 * sweep, the rows at its rung steps (for the rung decisions, {@link RungSweep}) — the number of metric
 * rows it wrote, and the name of its cohort's part ({@code <part>.rows/} beside the
 * {@code <part>.bin} that commits it). O(1) per run, whatever the steps: the metric rows themselves
 * are on disk, in the part. {@code rowsDir} is where the part was found (set when read back, so
 * that a moved part is still found).
 */
record CommittedRun(RunResult summary, long metricRows, String part, String rowsDir) implements Serializable {

  /** The summary of a finished run whose rows went to part {@code part}, found at {@code rowsDir}. */
  static CommittedRun of(RunResult full, String part, String rowsDir) {
    return of(full, part, rowsDir, java.util.Set.of());
  }

  /**
   * As {@link #of(RunResult, String, String)}, the summary also keeping the rows at {@code keepSteps}
   * (all kept rows in step order; the final evaluation row stays the last with a train loss).
   */
  static CommittedRun of(RunResult full, String part, String rowsDir, java.util.Set<Long> keepSteps) {
    MetricRow last = full.finalEval();
    List<MetricRow> kept = new java.util.ArrayList<>();
    for (MetricRow m : full.rows()) {
      if (m == last || keepSteps.contains(m.step())) kept.add(m);
    }
    RunResult summary = new RunResult(full.runId(), full.spec(), full.seed(), full.status(), full.stepsDone(),
        full.statusDetail(), List.copyOf(kept), full.wallMs(), full.stepsToTarget(), full.secondsToTarget());
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
