package io.adaspark.train;

import java.util.Arrays;

/**
 * Exact area under the ROC curve: the Mann–Whitney statistic with tied scores counted one half,
 * P(score of a random positive &gt; score of a random negative) + ½·P(equal). O(n log n).
 */
public final class Auc {
  private Auc() {}

  /**
   * @param scores one score per row (higher = more likely class 1)
   * @param labels 0 or 1 per row
   * @return the AUC, or NaN when one class is absent
   */
  public static double of(double[] scores, double[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    long positives = 0;
    for (double l : labels) if (l == 1.0) positives++;
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) return Double.NaN;
    // Sum of the (average) ranks of the positives, 1-based.
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
      double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) if (labels[order[k]] == 1.0) rankSum += avgRank;
      i = j + 1;
    }
    double u = rankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }
}
