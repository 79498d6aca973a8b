package io.adaspark.train;

import io.adaspark.config.RunSpec;
import java.util.List;

/**
 * The outcome of one run: its identity, status ({@code finished} or {@code diverged}), the
 * step it stopped at, its metric rows, and the training wall time (evaluation excluded).
 */
public record RunResult(String runId, RunSpec spec, long seed, String status, long stepsDone,
                        String statusDetail, List<MetricRow> rows, double wallMs) {

  /** The last row that has evaluation metrics. */
  public MetricRow finalEval() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i).trainLoss() != null) return rows.get(i);
    }
    return null;
  }
}
