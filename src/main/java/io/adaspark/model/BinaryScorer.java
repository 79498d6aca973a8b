package io.adaspark.model;

import io.adaspark.data.DataBlock;

/**
 * A model that can score the rows of a block for a binary problem (for AUC and other ranking
 * metrics): the predicted probability of class 1. Only two-class models implement it
 * ({@link BinaryLogisticRegression}, {@link Mlp.Binary}), so {@code instanceof BinaryScorer} is
 * the whole test of whether evaluations can report AUC.
 */
public interface BinaryScorer {
  /**
   * Writes {@code P(y = 1 | x_i)} of every row i of {@code block} into {@code out[i]}
   * ({@code out.length >= block.numRows()}).
   */
  void scores(double[] theta, DataBlock block, double[] out);
}
