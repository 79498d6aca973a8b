package io.adaspark.train;

import io.adaspark.optim.OptimizerState;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a cohort needs to continue bit-identically after step {@code step}: per run the
 * parameters, the optimizer state (moments, step count), status and metric rows so far. The
 * batch sampler is a pure function of (seed, step), so the step is its whole position.
 */
public record CohortCheckpoint(long step, long examples, List<RunState> runs) implements Serializable {
  /** One run's state at the checkpoint. */
  public record RunState(String runId, double[] theta, OptimizerState optimizer, String status, String detail,
                         long stepsDone, double wallMs, List<MetricRow> rows, double initialLoss,
                         Long stepsToTarget, Double secondsToTarget, Double pendingLr,
                         Double pendingBatchLoss, double pendingOptimizerMs) implements Serializable {}

  /** Where a cohort's checkpoints go. */
  public interface Store {
    /** The latest checkpoint, or null. */
    CohortCheckpoint load();

    /** Replaces the checkpoint atomically. */
    void save(CohortCheckpoint checkpoint);
  }
}
