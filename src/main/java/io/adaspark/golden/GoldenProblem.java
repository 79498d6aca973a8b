package io.adaspark.golden;

/** One golden file's objective: loss and gradient at theta, on all data or on a mini-batch. */
public interface GoldenProblem {
  int numParams();

  /**
   * Writes the gradient of the (mean) objective at {@code theta} into {@code grad} (overwriting
   * it) and returns the objective. {@code batch} lists 0-based sample indices, or is null for
   * the full data (and for problems without data).
   */
  double lossAndGradient(double[] theta, int[] batch, double[] grad);

  /**
   * The layout of theta as the problem's model sees it (checked against the file's
   * {@code param_layout}), or null when the problem has no opinion (quadratic, Rosenbrock).
   */
  default io.adaspark.optim.ParamBlocks paramBlocks() {
    return null;
  }
}
