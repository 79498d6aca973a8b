package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.model.BinaryScorer;
import org.apache.spark.broadcast.Broadcast;

/** Class-1 probabilities of every row of a partition for K parameter vectors (for exact AUC). */
final class ScoreTask extends BlockTask<ScoreTask.Scores> {
  private static final long serialVersionUID = 1L;
  private final BinaryScorer scorer;
  private final Broadcast<double[][]> thetas;

  /** One partition's scores ({@code scores[j][i]} for parameter vector j, row i) and labels. */
  record Scores(int partition, double[][] scores, double[] labels) implements java.io.Serializable {}

  ScoreTask(BinaryScorer scorer, Broadcast<double[][]> thetas) {
    this.scorer = scorer;
    this.thetas = thetas;
  }

  @Override
  Scores call(int partition, DataBlock block) {
    double[][] th = thetas.value();
    int n = block.numRows();
    double[][] scores = new double[th.length][n];
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) labels[i] = block.label(i);
    for (int j = 0; j < th.length && n > 0; j++) scorer.scores(th[j], block, scores[j]);
    return new Scores(partition, scores, labels);
  }
}
