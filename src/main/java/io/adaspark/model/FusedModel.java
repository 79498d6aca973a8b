package io.adaspark.model;

import io.adaspark.data.DataBlock;

/**
 * Base of the models whose only loss/gradient kernel is the fused one: the single-vector
 * {@link #addLossGradient} is {@link #addLossGradientFused} with one parameter vector, so a
 * vector's result is bit-identical whether it is evaluated alone or fused with others. Scoring
 * rows is not part of it: only the models that can rank rows implement {@link BinaryScorer}.
 */
abstract class FusedModel implements Model {
  private static final long serialVersionUID = 1L;

  @Override
  public final double addLossGradient(double[] theta, DataBlock block, int[] rows, int count, double[] grad) {
    return addLossGradientFused(new double[][] {theta}, block, rows, count, new double[][] {grad})[0];
  }

  @Override
  public abstract double[] addLossGradientFused(double[][] thetas, DataBlock block, int[] rows,
                                                int count, double[][] grads);
}
