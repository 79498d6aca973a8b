package io.adaspark.model;

import io.adaspark.data.DataBlock;
import io.adaspark.optim.ParamBlocks;
import java.io.Serializable;

/**
 * A differentiable model of fixed shape: the loss and gradient kernels every partition runs
 * every step. Stateless and serializable (it is shipped to the executors in the task closure);
 * parameters are a flat {@code double[]} in the layout of {@code src/test/resources/golden/README.md}
 * (per layer {@code W[out][in]} row-major, then {@code b}).
 *
 * <p>Data losses are <em>sums</em> over rows (partitions add their sums; the driver divides by
 * the total count); the regularization term is added once, on the driver, by {@link #penalty}.
 */
public interface Model extends Serializable {
  int numParams();

  int numFeatures();

  /** Number of classes K (2 for binary). */
  int numClasses();

  /**
   * Adds the gradient of the summed data loss over the selected rows of {@code block} into
   * {@code grad} and returns that summed loss. {@code rows} are row indices into the block
   * ({@code rows[0..count)}); {@code rows == null} means rows {@code 0..count)}.
   */
  double addLossGradient(double[] theta, DataBlock block, int[] rows, int count, double[] grad);

  /**
   * Rows per chunk of the kernels: {@link #addLossGradientFused} adds the rows in chunks of this
   * many (the last may be shorter), each chunk into the gradients and each chunk's loss into a
   * running sum from {@code +0.0}. So calls on consecutive chunks of this many rows, their losses
   * added in order from {@code +0.0}, give the bits of one call over all the rows.
   */
  int CHUNK_ROWS = Inputs.CHUNK;

  /**
   * Fused evaluation of K parameter vectors of this shape on the same rows: adds the gradient
   * of parameter vector j into {@code grads[j]} and returns the K summed losses.
   */
  default double[] addLossGradientFused(double[][] thetas, DataBlock block, int[] rows, int count,
                                        double[][] grads) {
    double[] losses = new double[thetas.length];
    for (int j = 0; j < thetas.length; j++) {
      losses[j] = addLossGradient(thetas[j], block, rows, count, grads[j]);
    }
    return losses;
  }

  /**
   * Evaluation over all rows of the block: {@code out[0] += summed loss}, {@code out[1] +=
   * number of correct predictions} (argmax; binary: p &gt;= 0.5).
   */
  void addEvaluation(double[] theta, DataBlock block, double[] out);

  /**
   * The regularization term of the objective (e.g. {@code 0.5·λ·‖W‖²}, biases excluded):
   * returns its value and, if {@code grad != null}, adds its gradient into {@code grad}.
   */
  double penalty(double[] theta, double[] grad);

  /**
   * The parameters whose data-loss gradient can be non-zero on rows whose non-zeros lie only in
   * the given features (CSR rows: {@code sortedFeatures} strictly increasing), as strictly
   * increasing parameter indices; every other gradient coordinate stays exactly {@code +0.0}.
   * {@code null} (the default) means every parameter: the model has no sparse gradient.
   *
   * <p>Part of the contract: on such CSR rows, {@link #addLossGradientFused} (and so {@link
   * #addLossGradient}) <em>reads</em> only these coordinates of each θ as well — its losses
   * and gradients are bit for bit the same whatever the other coordinates hold (NaN
   * included). A mini-batch step relies on it to ship only these coordinates to the executors
   * (train's CohortObjective.step), with every other coordinate {@code +0.0} there. A model
   * whose kernel reads more (say, a dense-parameter normalisation over all weights) must
   * return null.
   */
  default int[] touchedParameters(int[] sortedFeatures) {
    return null;
  }

  /** Seeded initial parameters (zeros for logreg; Glorot / He for MLPs). */
  double[] initialParameters(long seed);

  /**
   * The parameter vector's layout as named tensors (the golden files' {@code param_layout}), which
   * the per-block optimizers (LAMB, LARS, Adafactor) are created with. By default one 1-D block.
   */
  default ParamBlocks paramBlocks() {
    return ParamBlocks.single(numParams());
  }
}
