package io.adaspark.train;

import io.adaspark.check.Checks;

/**
 * When a run leaves its cohort, from {@link TrainingSpec} and the convergence tolerance:
 * divergence (a non-finite value, or a batch or train loss above {@code divergence_factor} × the
 * initial loss), the wall-clock budget, the target loss and MLlib's relative convergence test.
 * Each rule sets the run's status and detail; the messages are written here only.
 */
final class StopRules {
  private final TrainingSpec training;
  private final double wallCapMs;
  private final double tol;

  StopRules(TrainingSpec training, double tol) {
    this.training = training;
    this.wallCapMs = training.wallSeconds() * 1000.0;
    this.tol = tol;
  }

  /**
   * Before step {@code step} updates the run: whether its batch {@code loss} and gradient
   * {@code g} let it step (otherwise it has diverged).
   */
  boolean mayStep(RunState run, double loss, double[] g, long step) {
    if (!Double.isFinite(loss) || !allFinite(g)) {
      run.stop(RunState.Status.DIVERGED, nonFinite(Double.isFinite(loss) ? "gradient" : "loss", "at", step));
    } else if (tooLarge(run, loss)) {
      run.stop(RunState.Status.DIVERGED, tooLarge("batch", loss, run, step));
    }
    return run.live();
  }

  /** After step {@code step} updated the run's parameters. */
  void afterStep(RunState run, long step) {
    if (!allFinite(run.theta)) run.stop(RunState.Status.DIVERGED, nonFinite("parameters", "after", step));
  }

  /** Whether a live run has used its wall-clock budget before the cohort's last step. */
  boolean outOfTime(RunState run, long step, long steps) {
    return run.live() && wallCapMs > 0 && run.wallMs >= wallCapMs && step < steps;
  }

  /** Stops a run that {@link #outOfTime} chose (after its evaluation), unless that already stopped it. */
  void stopForTime(RunState run, long step) {
    if (run.live()) {
      run.stop(RunState.Status.STOPPED, "wall-clock budget (" + training.wallSeconds() + " s) reached at step " + step);
    }
  }

  /**
   * After an evaluation at {@code step} measured the run's full {@code trainLoss} ({@code previous}:
   * the one before, or null): divergence, the target (recorded, and a stop when asked) and convergence.
   */
  void afterEvaluation(RunState run, double trainLoss, Double previous, long step) {
    if (!Double.isFinite(trainLoss)) {
      run.stop(RunState.Status.DIVERGED, nonFinite("training loss", "at", step));
    } else if (step > 0 && tooLarge(run, trainLoss)) {
      run.stop(RunState.Status.DIVERGED, tooLarge("train", trainLoss, run, step));
    } else if (training.targetLoss() != null && run.stepsToTarget == null && trainLoss <= training.targetLoss()) {
      run.stepsToTarget = step;
      run.secondsToTarget = run.wallMs / 1000.0;
      if (training.stopAtTarget() && step > 0) {
        run.stop(RunState.Status.STOPPED, "target loss " + training.targetLoss() + " reached at step " + step);
      }
    }
    if (tol > 0 && step > 0 && run.live() && previous != null
        && Math.abs(previous - trainLoss) <= tol * Math.max(1.0, Math.abs(trainLoss))) {
      run.stop(RunState.Status.STOPPED,
          "converged: train loss changed by at most tol " + tol + " (relative) at step " + step);
    }
  }

  private boolean tooLarge(RunState run, double loss) {
    return Double.isFinite(run.initialLoss) && loss > training.divergenceFactor() * Math.abs(run.initialLoss);
  }

  private String tooLarge(String which, double loss, RunState run, long step) {
    return String.format("%s loss %.6g > %s x initial loss %.6g at step %d", which, loss,
        Checks.show(training.divergenceFactor()), run.initialLoss, step);
  }

  private static String nonFinite(String what, String when, long step) {
    return "non-finite " + what + " " + when + " step " + step;
  }

  static boolean allFinite(double[] v) {
    for (double x : v) if (!Double.isFinite(x)) return false;
    return true;
  }
}
