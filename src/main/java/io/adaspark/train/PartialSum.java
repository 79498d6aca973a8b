package io.adaspark.train;

/**
 * One node of the summation tree while its children are added, in index order. Every sum of
 * the node starts from {@code +0.0} and adds the children one by one, exactly as the flat
 * {@link Partial#sumInOrder}: {@code s = ((+0.0 + c₀) + c₁) + …}.
 *
 * <p>Sparse children are merged exactly. A coordinate a child does not carry is {@code +0.0} in
 * that child, and adding {@code +0.0} to a running sum never changes it: a running sum that
 * starts from {@code +0.0} can never be {@code -0.0} (in round-to-nearest {@code +0.0 + -0.0 =
 * +0.0}, and an exact cancellation {@code a + -a} gives {@code +0.0}), and {@code x + +0.0 = x}
 * for every other x. So skipping absent coordinates gives the dense sum bit for bit, including
 * the sign of zeros; a coordinate first met in a child is {@code +0.0 + v} (turning a child's
 * {@code -0.0} into {@code +0.0}, as the dense sum does). The union of the children's indices is
 * kept sorted (a two-way merge per child); when it passes two thirds of the parameters (where a
 * sparse partial, 12 bytes a coordinate, outweighs a dense one, 8), the node turns dense.
 *
 * <p>The children's {@link Partial#nextFeatures} are merged by the same sorted union ({@link
 * #union}); a child without them (null) makes the node's null: the node then does not know
 * every feature of the next step below it.
 */
final class PartialSum {
  private final int numParams;
  private long count;
  private double[] losses;
  private double[] correct;
  private double[][] dense;
  private int[] index;
  private double[][] values;
  private boolean empty = true;
  private int[] nextFeatures;

  PartialSum(int numParams) {
    this.numParams = numParams;
  }

  /** Adds the next child (children must come in index order). */
  void add(Partial c) {
    int k = c.losses().length;
    if (empty) {
      losses = new double[k];
      correct = c.correct() == null ? null : new double[k];
      nextFeatures = c.nextFeatures();
      empty = false;
    } else if (nextFeatures != null) {
      nextFeatures = c.nextFeatures() == null ? null : union(nextFeatures, c.nextFeatures());
    }
    count += c.count();
    for (int j = 0; j < k; j++) {
      losses[j] += c.losses()[j];
      if (correct != null) correct[j] += c.correct()[j];
    }
    if (c.grads() == null) return;
    if (dense == null && index == null) {
      if (c.index() != null && !tooDense(c.index().length)) {
        index = c.index();
        values = new double[k][];
        for (int j = 0; j < k; j++) {
          double[] v = c.grads()[j];
          double[] out = new double[v.length];
          for (int t = 0; t < v.length; t++) out[t] = 0.0 + v[t];
          values[j] = out;
        }
      } else {
        dense = new double[k][numParams];
        addInto(dense, c);
      }
      return;
    }
    if (dense != null) {
      addInto(dense, c);
    } else if (c.index() == null) {
      densify();
      addInto(dense, c);
    } else {
      merge(c);
      if (tooDense(index.length)) densify();
    }
  }

  /**
   * Adds run {@code j}'s dense gradient of a child that arrives run by run (K = {@code k} runs;
   * its scalars follow through {@link #addScalars}), and leaves {@code g} all {@code +0.0}: the
   * same sums as {@link #add} of the whole child, one run's vectors in cache at a time.
   */
  void addDenseRunAndClear(int k, int j, double[] g) {
    if (dense == null) {
      if (index != null) densify();
      else dense = new double[k][numParams];
    }
    double[] s = dense[j];
    for (int i = 0; i < s.length; i++) {
      s[i] += g[i];
      g[i] = 0.0;
    }
  }

  /**
   * The node's K dense gradient rows, for a kernel to add into directly (a node without
   * gradients so far gets {@code +0.0} rows; a sparse one is densified): the caller adds the
   * rows' scalars through {@link #addScalars}.
   */
  double[][] denseGrads(int k) {
    if (dense == null) {
      if (index != null) densify();
      else dense = new double[k][numParams];
    }
    return dense;
  }

  /**
   * The row count, losses and next step's features (or null) of a child whose gradients came
   * through {@link #addDenseRunAndClear}.
   */
  void addScalars(long count, double[] losses, int[] nextFeatures) {
    add(new Partial(-1, count, losses, null, null, null, nextFeatures));
  }

  private boolean tooDense(int m) {
    return 3L * m > 2L * numParams;
  }

  private static void addInto(double[][] dense, Partial c) {
    int[] idx = c.index();
    for (int j = 0; j < dense.length; j++) {
      double[] g = dense[j];
      double[] v = c.grads()[j];
      if (idx == null) {
        for (int i = 0; i < g.length; i++) g[i] += v[i];
      } else {
        for (int t = 0; t < idx.length; t++) g[idx[t]] += v[t];
      }
    }
  }

  /** The union of two strictly increasing lists, strictly increasing (a two-way merge). */
  static int[] union(int[] a, int[] b) {
    int[] u = new int[a.length + b.length];
    int m = 0;
    for (int x = 0, y = 0; x < a.length || y < b.length; ) {
      if (y == b.length || (x < a.length && a[x] < b[y])) u[m++] = a[x++];
      else if (x == a.length || b[y] < a[x]) u[m++] = b[y++];
      else {
        u[m++] = a[x++];
        y++;
      }
    }
    return m == u.length ? u : java.util.Arrays.copyOf(u, m);
  }

  /** The union of the two sorted index lists; per coordinate: sum + child, sum, or +0.0 + child. */
  private void merge(Partial c) {
    int[] a = index, b = c.index();
    int[] union = union(a, b);
    int m = union.length;
    for (int j = 0; j < values.length; j++) {
      double[] av = values[j], bv = c.grads()[j];
      double[] out = new double[m];
      int x = 0, y = 0;
      for (int t = 0; t < m; t++) {
        int i = union[t];
        boolean inA = x < a.length && a[x] == i;
        boolean inB = y < b.length && b[y] == i;
        if (inA && inB) out[t] = av[x++] + bv[y++];
        else if (inA) out[t] = av[x++];
        else out[t] = 0.0 + bv[y++];
      }
      values[j] = out;
    }
    index = union;
  }

  private void densify() {
    dense = new double[values.length][numParams];
    for (int j = 0; j < values.length; j++) {
      double[] g = dense[j];
      double[] v = values[j];
      for (int t = 0; t < index.length; t++) g[index[t]] = v[t];
    }
    index = null;
    values = null;
  }

  /** The node's sum, tagged {@code node}: sparse if every child so far was and it stayed small. */
  Partial result(int node) {
    if (empty) throw new IllegalStateException("a tree node without children");
    if (index != null) return new Partial(node, count, losses, values, correct, index, nextFeatures);
    return new Partial(node, count, losses, dense, correct, null, nextFeatures);
  }

  /** The node's sum with dense gradients (the driver densifies once, for the optimizers). */
  Partial denseResult(int node) {
    if (index != null) densify();
    return result(node);
  }

  /**
   * As {@link #denseResult(int)}, a sparse sum written into {@code into} (rows of {@code
   * numParams}, at least one per run) instead of new arrays: each row is zeroed ({@code +0.0},
   * as a new array) and the stored coordinates are set. The same bits, no K·n garbage a step.
   * {@code into} null, or a sum that is already dense: as {@link #denseResult(int)}.
   */
  Partial denseResult(int node, double[][] into) {
    if (into == null || index == null) return denseResult(node);
    if (empty) throw new IllegalStateException("a tree node without children");
    double[][] g = new double[values.length][];
    for (int j = 0; j < g.length; j++) {
      g[j] = into[j];
      java.util.Arrays.fill(g[j], 0.0);
      double[] v = values[j];
      for (int t = 0; t < index.length; t++) g[j][index[t]] = v[t];
    }
    return new Partial(node, count, losses, g, correct, null, nextFeatures);
  }
}
