package io.adaspark.optim;

/**
 * A stateful optimizer instance for one parameter vector: the state (moment vectors, step
 * count) of one run. Created by {@link OptimizerConfig#create(int)}; its hyper-parameters are the
 * immutable config. Runs on the driver.
 *
 * <p>Contract of {@link #step}: in place, no allocation, elementwise (the blocked optimizers —
 * LAMB, LARS, Adafactor — per {@link ParamBlocks} block); {@code grad} is the
 * objective's gradient (after clipping, before weight decay) and is not modified; {@code lr} is
 * this step's learning rate from the schedule (the config's {@code lr} is the schedule's base).
 */
public interface Optimizer {
  OptimizerConfig config();

  /** theta &lt;- theta + update(grad) at learning rate lr; increments the step count first. */
  void step(double[] theta, double[] grad, double lr);

  /** Number of steps taken so far (t of the update rules after the step: 1 after the first). */
  long stepCount();

  /** A deep copy of the state: restoring it and continuing gives a bit-identical trajectory. */
  OptimizerState saveState();

  /** Replaces the state with a copy of {@code state} (same type and size, else an error). */
  void restoreState(OptimizerState state);

  /** Doubles of state kept per parameter (e.g. 2 for Adam, 3 for AMSGrad). */
  default int stateSizePerParam() {
    return config().stateSizePerParam();
  }

  /**
   * The parameters at which the model is evaluated (losses, accuracy, checkpoints' final model,
   * suboptimality), given {@code theta}, the vector {@link #step} updates and at which the
   * gradient is taken (the <em>gradient point</em>). Every optimizer but Schedule-Free has one
   * point and returns {@code theta} itself; Schedule-Free keeps theta = y (gradient point) and
   * returns its average x, computed into a buffer owned by the optimizer that stays valid until
   * the next step. Never modifies {@code theta}.
   */
  default double[] evaluationPoint(double[] theta) {
    return theta;
  }

  /**
   * Values the last step computed beyond the parameters, by the golden files' field names
   * ({@code trust_ratio} per block for LAMB/LARS, {@code clip_denom} per block for Adafactor,
   * {@code d} and {@code d_hat} for Prodigy, {@code lr_sched} and {@code ckp1} for Schedule-Free);
   * empty for the classic optimizers. The arrays are copies.
   */
  default java.util.Map<String, double[]> lastStep() {
    return java.util.Map.of();
  }
}
