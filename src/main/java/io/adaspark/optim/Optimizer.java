package io.adaspark.optim;

/**
 * A stateful optimizer instance for one parameter vector: the state (moment vectors, step
 * count) of one run. Created by {@link OptimizerConfig#create(int)}; its hyper-parameters are the
 * immutable config. Runs on the driver.
 *
 * <p>Contract of {@link #step}: in place, no allocation, elementwise; {@code grad} is the
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
}
