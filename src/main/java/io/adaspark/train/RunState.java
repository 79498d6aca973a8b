package io.adaspark.train;

import io.adaspark.model.Model;
import io.adaspark.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutable state of one run while its cohort trains: parameters, optimizer, status, the rows so
 * far, what its latest step did ({@link MetricRow.StepTaken}) and when it reached the target.
 * Saved into and restored from a {@link CohortCheckpoint.RunState}.
 */
final class RunState {
  /** A run's status while it trains; {@link #reported} is what {@link RunResult#status} says. */
  enum Status {
    RUNNING("running", "finished"),
    DIVERGED("diverged", "diverged"),
    /** Stopped by a rule of the run itself (wall clock, target, convergence): it finished. */
    STOPPED("stopped", "finished"),
    /** Stopped by a multi-fidelity scheduler's rung decision ({@link Trainer.Rungs}). */
    RUNG_STOPPED("rung-stopped", "stopped");

    /** The name in a checkpoint. */
    final String saved;
    /** The status of the run's result. */
    final String reported;

    Status(String saved, String reported) {
      this.saved = saved;
      this.reported = reported;
    }

    static Status ofSaved(String saved) {
      for (Status s : values()) if (s.saved.equals(saved)) return s;
      throw new IllegalArgumentException("unknown run status in a checkpoint: " + saved);
    }
  }

  final PlannedRun plan;
  final double[] theta;
  final Optimizer optimizer;
  final List<MetricRow> rows = new ArrayList<>();
  Status status = Status.RUNNING;
  String detail = "";
  long stepsDone;
  double wallMs;
  double initialLoss = Double.NaN;
  Long stepsToTarget;
  Double secondsToTarget;
  MetricRow.StepTaken lastStep = MetricRow.StepTaken.NONE;

  RunState(PlannedRun plan, Model model) {
    this.plan = plan;
    this.theta = model.initialParameters(plan.seed());
    this.optimizer = plan.spec().optimizer().create(model.paramBlocks()); // LAMB/LARS/Adafactor work per block
  }

  boolean live() {
    return status == Status.RUNNING;
  }

  /** Leaves the cohort with {@code status} (not {@link Status#RUNNING}); {@code why} is the detail. */
  void stop(Status status, String why) {
    this.status = status;
    this.detail = why;
  }

  /** The latest full training loss, or null before the first evaluation. */
  Double finalLoss() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i).trainLoss() != null) return rows.get(i).trainLoss();
    }
    return null;
  }

  RunResult result() {
    return new RunResult(plan.runId(), plan.spec(), plan.seed(), status.reported, stepsDone, detail,
        List.copyOf(rows), wallMs, stepsToTarget, secondsToTarget);
  }

  CohortCheckpoint.RunState save() {
    return new CohortCheckpoint.RunState(plan.runId(), theta.clone(), optimizer.saveState(), status.saved, detail,
        stepsDone, wallMs, List.copyOf(rows), initialLoss, stepsToTarget, secondsToTarget, lastStep.lr(),
        lastStep.batchLoss(), lastStep.optimizerMs());
  }

  void restore(CohortCheckpoint.RunState s) {
    System.arraycopy(s.theta(), 0, theta, 0, theta.length);
    optimizer.restoreState(s.optimizer());
    status = Status.ofSaved(s.status());
    detail = s.detail();
    stepsDone = s.stepsDone();
    wallMs = s.wallMs();
    rows.clear();
    rows.addAll(s.rows());
    initialLoss = s.initialLoss();
    stepsToTarget = s.stepsToTarget();
    secondsToTarget = s.secondsToTarget();
    lastStep = new MetricRow.StepTaken(s.pendingLr(), s.pendingBatchLoss(), s.pendingOptimizerMs());
  }
}
