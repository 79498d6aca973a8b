package io.adaspark.train;

import java.io.Serializable;
import java.util.List;

/**
 * The outcome of one run: its identity, status ({@code finished} or {@code diverged}), the
 * step it stopped at, its metric rows, the training wall time (evaluation excluded), and when it
 * first reached the job's target loss (null if never or no target).
 */
public record RunResult(String runId, RunSpec spec, long seed, String status, long stepsDone,
                        String statusDetail, List<MetricRow> rows, double wallMs,
                        Long stepsToTarget, Double secondsToTarget) implements Serializable {

  public RunResult(String runId, RunSpec spec, long seed, String status, long stepsDone,
                   String statusDetail, List<MetricRow> rows, double wallMs) {
    this(runId, spec, seed, status, stepsDone, statusDetail, rows, wallMs, null, null);
  }

  /** The last row that has evaluation metrics. */
  public MetricRow finalEval() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i).trainLoss() != null) return rows.get(i);
    }
    return null;
  }
}
