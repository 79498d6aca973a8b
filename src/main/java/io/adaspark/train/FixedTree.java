package io.adaspark.train;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The fixed summation tree over P partitions with fan-in F: the bits of every sum depend only
 * on (P, F), never on the executors, the tasks or the order their results arrive in.
 *
 * <p>Level 0 holds the partitions' partials (leaves), in partition order. Node j of level ℓ ≥ 1
 * covers the partitions {@code [j·F^ℓ, min((j+1)·F^ℓ, P))} and is the sum of its children
 * (nodes {@code j·F … j·F+F-1} of level ℓ-1 that exist) added in index order, starting from
 * {@code +0.0} ({@link PartialSum}). The root is the single node of the depth h, the smallest
 * h ≥ 1 with {@code F^h ≥ P}. With {@code F ≥ P} the root is the flat sum of the partitions in
 * order ({@link Partial#sumInOrder}, the sum of adaspark before the tree).
 *
 * <p>Who computes what: one Spark task per child of the root (at most F tasks; {@code
 * ⌈P/F^(h-1)⌉} of them), each iterating its {@code F^(h-1)} cached blocks in index order and
 * folding their leaves into its node; the driver folds the at most F task results into the
 * root. Which task computes a node does not matter: {@link Fold} only needs the items of one
 * level in index order, so the tests recompute the tree from any level (for instance every
 * leaf on the driver) and compare bits.
 */
public final class FixedTree implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int partitions;
  private final int fanIn;
  private final int depth;

  public FixedTree(int partitions, int fanIn) {
    if (partitions < 1 || fanIn < 2) {
      throw new IllegalArgumentException("FixedTree: partitions >= 1 and fan-in >= 2, got " + partitions
          + ", " + fanIn);
    }
    this.partitions = partitions;
    this.fanIn = fanIn;
    int h = 1;
    long span = fanIn;
    while (span < partitions) {
      span *= fanIn;
      h++;
    }
    this.depth = h;
  }

  public int partitions() {
    return partitions;
  }

  public int fanIn() {
    return fanIn;
  }

  /** The root's level h (≥ 1). */
  public int depth() {
    return depth;
  }

  /** Partitions covered by a full node of {@code level}: F^level (capped at P). */
  public int span(int level) {
    long s = 1;
    for (int l = 0; l < level && s < partitions; l++) s *= fanIn;
    return (int) Math.min(s, partitions);
  }

  /** Nodes of {@code level}: ⌈P / F^level⌉. */
  public int nodes(int level) {
    int s = span(level);
    return (partitions + s - 1) / s;
  }

  /** The level whose nodes Spark tasks compute by default: the root's children. */
  public int taskLevel() {
    return depth - 1;
  }

  /** A streaming fold of the nodes of level {@code from} into nodes of level {@code to}. */
  public Fold fold(int from, int to, int numParams) {
    if (from < 0 || to < from || to > depth) {
      throw new IllegalArgumentException("fold from level " + from + " to " + to + " of a tree of depth " + depth);
    }
    return new Fold(from, to, numParams);
  }

  /**
   * Adds the nodes of one level, in index order, into the open nodes of the levels above; each
   * node closes after its last child and is added to its parent. {@link #add} returns a node of
   * the target level when it closes (with {@code from == to}: the item itself).
   */
  public final class Fold {
    private final int from;
    private final int to;
    private final int numParams;
    private final PartialSum[] open;
    private int expected;
    private double[][] into;

    Fold(int from, int to, int numParams) {
      this.from = from;
      this.to = to;
      this.numParams = numParams;
      this.open = new PartialSum[to + 1];
      this.expected = -1;
    }

    /**
     * A sparse root is densified into these rows (see {@link PartialSum#denseResult(int,
     * double[][])}) instead of new arrays; null (the default): new arrays.
     */
    Fold into(double[][] rows) {
      this.into = rows;
      return this;
    }

    /** Adds node {@code index} of level {@code from}; indices must increase by one. */
    public Partial add(int index, Partial item) {
      return add(index, item, null);
    }

    /**
     * As {@link #add}, the item written straight into its open parent by {@code writer} (which
     * must add exactly what {@code add} would): for folds above the item's level only.
     */
    Partial addLeaf(int index, Consumer<PartialSum> writer) {
      if (from == to) throw new IllegalStateException("a fold within one level has no parent to write into");
      return add(index, null, writer);
    }

    private Partial add(int index, Partial item, Consumer<PartialSum> writer) {
      if (expected >= 0 && index != expected) {
        throw new IllegalStateException("tree node " + index + " of level " + from + " out of order, expected "
            + expected);
      }
      expected = index + 1;
      if (from == to) return item;
      Partial cur = item;
      int idx = index;
      for (int l = from + 1; l <= to; l++) {
        if (open[l] == null) open[l] = new PartialSum(numParams);
        if (cur == null) writer.accept(open[l]);
        else open[l].add(cur);
        boolean last = (idx + 1) % fanIn == 0 || idx + 1 == nodes(l - 1);
        if (!last) return null;
        idx /= fanIn;
        cur = l == depth ? open[l].denseResult(idx, into) : open[l].result(idx);
        open[l] = null;
      }
      return cur;
    }
  }
}
