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
 *
 * <p>The modern format ({@code golden-modern/README.md}) adds: the optimizer is created with the
 * file's {@code param_layout} blocks; theta is the optimizer's gradient point and {@code params[k]}
 * is compared with its evaluation point (Schedule-Free: x, and y with {@code params_y[k]});
 * {@code loss_final} is taken at the evaluation point and {@code loss_final_y} at y; every
 * recorded state field ({@code d}, {@code d_hat}, {@code trust_ratio}, {@code clip_denom},
 * {@code lr_sched}, {@code ckp1}) is compared with what the optimizer reports for that step
 * ({@link Optimizer#lastStep()}) — a recorded field the optimizer does not report is an error.
 */
public final class GoldenRunner {
  private GoldenRunner() {}

  /** Runs one case; configuration errors are thrown as {@link GoldenFormatException}. */
  public static GoldenResult run(GoldenFile file, GoldenCase c, GoldenProblem problem) {
    checkLayout(file, problem);
    OptimizerConfig config = TorchConfigs.optimizer(c, file.fileName());
    LrSchedule schedule = TorchConfigs.schedule(c, file.fileName());
    int n = file.x0().length;
    double[] theta = file.x0().clone();
    double[] grad = new double[n];
    double[] scratch = new double[n];
    Optimizer opt = config.create(file.layout());
    double rtol = file.rtol();
    double atol = file.atol();
    double lossErr = 0;
    double gradErr = 0;
    double paramsErr = 0;
    double lrErr = c.lr() == null ? Double.NaN : 0;
    double stateErr = stateFields(c) ? 0 : Double.NaN;
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
      paramsErr = Math.max(paramsErr, paramsError(file, c, k, opt, theta));
      if (stateFields(c)) stateErr = Math.max(stateErr, stateError(file, c, k, opt));
    }
    double lossFinal = problem.lossAndGradient(opt.evaluationPoint(theta), null, scratch);
    lossErr = Math.max(lossErr, scaledError(lossFinal, c.lossFinal(), rtol, atol));
    if (c.lossFinalY() != null) {
      double lossY = problem.lossAndGradient(theta, null, scratch);
      lossErr = Math.max(lossErr, scaledError(lossY, c.lossFinalY(), rtol, atol));
    }
    return new GoldenResult(file.fileName(), c.id(), lossErr, gradErr, paramsErr, lrErr, stateErr, null);
  }

  /**
   * Checks only the optimizer and schedule: replays the case feeding the recorded {@code grad[k]}
   * instead of evaluating the problem, and returns the scaled error of the parameters (lr errors
   * and recorded optimizer state included). Needs no model kernels, so every file's optimizer
   * cases can be checked on their own.
   */
  public static double replayRecordedGradients(GoldenFile file, GoldenCase c) {
    OptimizerConfig config = TorchConfigs.optimizer(c, file.fileName());
    LrSchedule schedule = TorchConfigs.schedule(c, file.fileName());
    double[] theta = file.x0().clone();
    Optimizer opt = config.create(file.layout());
    double worst = 0;
    for (int k = 0; k < c.steps(); k++) {
      double lr = schedule == null ? config.lr() : schedule.lr(config.lr(), k);
      if (c.lr() != null) worst = Math.max(worst, scaledError(lr, c.lr()[k], file.rtol(), file.atol()));
      opt.step(theta, c.grad()[k], lr);
      worst = Math.max(worst, paramsError(file, c, k, opt, theta));
      if (stateFields(c)) worst = Math.max(worst, stateError(file, c, k, opt));
    }
    return worst;
  }

  /** The file's {@code param_layout} must be the model's (names, offsets, shapes), when both exist. */
  static void checkLayout(GoldenFile file, GoldenProblem problem) {
    io.adaspark.optim.ParamBlocks model = problem.paramBlocks();
    if (model == null || !file.root().hasNonNull("param_layout")) return;
    if (!model.equals(file.layout())) {
      throw new GoldenFormatException(file.fileName() + ": param_layout " + file.layout()
          + " is not the layout of adaspark's model " + model);
    }
  }

  /** params[k] against the evaluation point, and params_y[k] (if recorded) against theta = y. */
  private static double paramsError(GoldenFile file, GoldenCase c, int k, Optimizer opt, double[] theta) {
    double e = scaledError(opt.evaluationPoint(theta), c.params()[k], file.rtol(), file.atol());
    double[][] y = c.recorded().get("params_y");
    if (y != null) e = Math.max(e, scaledError(theta, y[k], file.rtol(), file.atol()));
    return e;
  }

  private static boolean stateFields(GoldenCase c) {
    return c.recorded().keySet().stream().anyMatch(f -> !f.equals("params_y"));
  }

  /** Every recorded state field of step k against the optimizer's report of its last step. */
  private static double stateError(GoldenFile file, GoldenCase c, int k, Optimizer opt) {
    java.util.Map<String, double[]> reported = opt.lastStep();
    double e = 0;
    for (java.util.Map.Entry<String, double[][]> f : c.recorded().entrySet()) {
      if (f.getKey().equals("params_y")) continue;
      double[] v = reported.get(f.getKey());
      if (v == null) {
        throw new GoldenFormatException(file.fileName() + " case '" + c.id() + "': records '" + f.getKey()
            + "' but optimizer " + opt.config().typeName() + " reports " + new java.util.TreeSet<>(reported.keySet()));
      }
      e = Math.max(e, scaledError(v, f.getValue()[k], file.rtol(), file.atol()));
    }
    return e;
  }

  /** Runs one case, turning any exception into a failed result carrying its message. */
  public static GoldenResult runCatching(GoldenFile file, GoldenCase c, GoldenProblem problem) {
    try {
      return run(file, c, problem);
    } catch (RuntimeException e) {
      return new GoldenResult(file.fileName(), c.id(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
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
