package io.adaspark.golden;

import io.adaspark.optim.Optimizer;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.schedule.LrSchedule;

/**
 * Replays golden cases: theta = x0; for each step k, g = gradient at theta (on
 * {@code minibatches[k]} for mini-batch cases), compare loss[k] and grad[k], compare lr[k] with
 * the schedule, take the optimizer step with that lr, compare params[k]; finally compare
 * loss_final on the full data. Errors are scaled per vector:
 * {@code max_j |v_j − ref_j| / (rtol·|ref_j| + atol·max(1, max_j |ref_j|))}, and a case passes
 * when every scaled error is ≤ 1.
 */
public final class GoldenRunner {
  private GoldenRunner() {}

  /** Runs one case; configuration errors are thrown as {@link GoldenFormatException}. */
  public static GoldenResult run(GoldenFile file, GoldenCase c, GoldenProblem problem) {
    OptimizerConfig config = TorchConfigs.optimizer(c, file.fileName());
    LrSchedule schedule = TorchConfigs.schedule(c, file.fileName());
    int n = file.x0().length;
    double[] theta = file.x0().clone();
    double[] grad = new double[n];
    double[] scratch = new double[n];
    Optimizer opt = config.create(n);
    double rtol = file.rtol();
    double atol = file.atol();
    double lossErr = 0;
    double gradErr = 0;
    double paramsErr = 0;
    double lrErr = c.lr() == null ? Double.NaN : 0;
    for (int k = 0; k < c.steps(); k++) {
      int[] batch = c.minibatch() ? file.minibatches()[k] : null;
      double loss = problem.lossAndGradient(theta, batch, grad);
      lossErr = Math.max(lossErr, scaledError(loss, c.loss()[k], rtol, atol));
      if (c.lossFull() != null) {
        double full = problem.lossAndGradient(theta, null, scratch);
        lossErr = Math.max(lossErr, scaledError(full, c.lossFull()[k], rtol, atol));
      }
      gradErr = Math.max(gradErr, scaledError(grad, c.grad()[k], rtol, atol));
      double lr = schedule == null ? config.lr() : schedule.lr(config.lr(), k);
      if (c.lr() != null) lrErr = Math.max(lrErr, scaledError(lr, c.lr()[k], rtol, atol));
      opt.step(theta, grad, lr);
      paramsErr = Math.max(paramsErr, scaledError(theta, c.params()[k], rtol, atol));
    }
    double lossFinal = problem.lossAndGradient(theta, null, scratch);
    lossErr = Math.max(lossErr, scaledError(lossFinal, c.lossFinal(), rtol, atol));
    return new GoldenResult(file.fileName(), c.id(), lossErr, gradErr, paramsErr, lrErr, null);
  }

  /**
   * Checks only the optimizer and schedule: replays the case feeding the recorded {@code grad[k]}
   * instead of evaluating the problem, and returns the scaled error of the parameters (lr errors
   * included). Needs no model kernels, so every file's optimizer cases can be checked on their own.
   */
  public static double replayRecordedGradients(GoldenFile file, GoldenCase c) {
    OptimizerConfig config = TorchConfigs.optimizer(c, file.fileName());
    LrSchedule schedule = TorchConfigs.schedule(c, file.fileName());
    double[] theta = file.x0().clone();
    Optimizer opt = config.create(theta.length);
    double worst = 0;
    for (int k = 0; k < c.steps(); k++) {
      double lr = schedule == null ? config.lr() : schedule.lr(config.lr(), k);
      if (c.lr() != null) worst = Math.max(worst, scaledError(lr, c.lr()[k], file.rtol(), file.atol()));
      opt.step(theta, c.grad()[k], lr);
      worst = Math.max(worst, scaledError(theta, c.params()[k], file.rtol(), file.atol()));
    }
    return worst;
  }

  /** Runs one case, turning any exception into a failed result carrying its message. */
  public static GoldenResult runCatching(GoldenFile file, GoldenCase c, GoldenProblem problem) {
    try {
      return run(file, c, problem);
    } catch (RuntimeException e) {
      return new GoldenResult(file.fileName(), c.id(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          String.valueOf(e.getMessage()));
    }
  }

  /** Scaled error of a vector against its reference (NaN anywhere gives +infinity). */
  public static double scaledError(double[] v, double[] ref, double rtol, double atol) {
    if (v.length != ref.length) throw new IllegalArgumentException("length " + v.length + " vs " + ref.length);
    double scale = 1;
    for (double r : ref) scale = Math.max(scale, Math.abs(r));
    double worst = 0;
    for (int j = 0; j < v.length; j++) {
      double e = Math.abs(v[j] - ref[j]) / (rtol * Math.abs(ref[j]) + atol * scale);
      if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }
    return worst;
  }

  /** Scaled error of one number (a vector of length 1). */
  public static double scaledError(double v, double ref, double rtol, double atol) {
    return scaledError(new double[] {v}, new double[] {ref}, rtol, atol);
  }
}
