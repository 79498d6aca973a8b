package io.adaspark.train;

import java.io.Serializable;

/**
 * A partial sum of a cohort of K runs over some rows: summed losses, summed gradients and the
 * number of rows (shared by the K runs), plus correct predictions for test passes; tagged with
 * the index of the partition (or tree node) it belongs to, so that partials are always combined
 * in index order, never in task-completion order.
 *
 * <p>Gradients are dense ({@code index == null}: {@code grads[j]} has one value per parameter)
 * or sparse ({@code index} strictly increasing parameter indices shared by the K runs,
 * {@code grads[j][t]} the value at {@code index[t]}; every other coordinate is exactly
 * {@code +0.0}). A sparse partial of a CSR mini-batch costs about {@code 12·m} bytes per run for
 * m touched coordinates, a dense one {@code 8·numParams}. {@code grads} is null for passes
 * without gradients.
 *
 * <p>{@code nextFeatures}, on the partials of a mini-batch step over CSR blocks ({@link
 * StepTask}), is the strictly increasing union of the features of the rows the <em>next</em>
 * step draws from the partitions below (so the driver knows, when step k returns, which
 * parameters step k+1 reads and ships only those, {@link CohortObjective#step}); null otherwise
 * (dense blocks, full passes, or a partial that does not know: then the next step ships every
 * parameter). Integers only: it never touches a sum's bits.
 */
public record Partial(int partition, long count, double[] losses, double[][] grads, double[] correct, int[] index,
                      int[] nextFeatures) implements Serializable {

  /** A dense partial (or one without gradients). */
  public Partial(int partition, long count, double[] losses, double[][] grads, double[] correct) {
    this(partition, count, losses, grads, correct, null, null);
  }

  /** A partial without the next step's features. */
  public Partial(int partition, long count, double[] losses, double[][] grads, double[] correct, int[] index) {
    this(partition, count, losses, grads, correct, index, null);
  }

  /** This partial carrying the next step's features {@code next} (or null). */
  public Partial withNextFeatures(int[] next) {
    return new Partial(partition, count, losses, grads, correct, index, next);
  }

  /** Whether the gradients are sparse. */
  public boolean sparse() {
    return index != null;
  }

  /**
   * Sums dense partials in ascending partition order into a new partial (partition -1): every
   * sum starts from {@code +0.0} and adds the partials one by one. The result depends only on
   * the partials, not on the order they arrived in. (The flat sum; {@link FixedTree} is the
   * general combination, equal to this one when the fan-in is at least the partition count.)
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
      if (p.index != null) throw new IllegalArgumentException("sumInOrder takes dense partials");
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
