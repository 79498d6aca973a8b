package io.adaspark.train;

import java.io.Serializable;

/**
 * One partition's contribution to a step of a cohort of K runs: summed losses, summed
 * gradients and the number of rows (shared by the K runs), tagged with the partition index so
 * that the driver combines partitions in index order, never in task-completion order.
 */
public record Partial(int partition, long count, double[] losses, double[][] grads, double[] correct)
    implements Serializable {

  /**
   * Sums partials in ascending partition order into a new partial (partition -1). The result
   * depends only on the partials, not on the order they arrived in.
   */
  public static Partial sumInOrder(java.util.List<Partial> parts) {
    Partial[] sorted = parts.toArray(new Partial[0]);
    java.util.Arrays.sort(sorted, java.util.Comparator.comparingInt(Partial::partition));
    Partial first = sorted[0];
    int k = first.losses.length;
    double[] losses = new double[k];
    double[] correct = first.correct == null ? null : new double[k];
    double[][] grads = first.grads == null ? null : new double[k][];
    if (grads != null) for (int j = 0; j < k; j++) grads[j] = new double[first.grads[j].length];
    long count = 0;
    for (Partial p : sorted) {
      count += p.count;
      for (int j = 0; j < k; j++) {
        losses[j] += p.losses[j];
        if (correct != null) correct[j] += p.correct[j];
        if (grads != null) {
          double[] g = grads[j];
          double[] pg = p.grads[j];
          for (int i = 0; i < g.length; i++) g[i] += pg[i];
        }
      }
    }
    return new Partial(-1, count, losses, grads, correct);
  }
}
