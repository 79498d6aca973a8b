package io.adaspark.model;

import io.adaspark.data.DataBlock;

/**
 * A model that can score the rows of a block for a binary problem (for AUC and other ranking
 * metrics): the predicted probability of class 1.
 */
public interface BinaryScorer {
  /**
   * Writes {@code P(y = 1 | x_i)} of every row i of {@code block} into {@code out[i]}
   * ({@code out.length >= block.numRows()}).
   *
   * @throws UnsupportedOperationException if the model has more than two classes
   */
  void scores(double[] theta, DataBlock block, double[] out);
}
