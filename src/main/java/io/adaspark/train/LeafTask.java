package io.adaspark.train;

import io.adaspark.data.DataBlock;

/**
 * A {@link BlockTask} whose result is a leaf of the {@link FixedTree}. A {@link TreeTask} that
 * computes a node above the leaves does not need each leaf as an object: it asks the leaf to add
 * itself into the open node ({@link #addInto}), which by default is {@code node.add(call(…))}.
 * A leaf with dense gradients adds them run by run through a small per-thread scratch instead
 * ({@link GradientLeaf#addInto}): the same sums, without a K·n array a block (at P = 128 and an
 * MLP of 2·10⁵ parameters, K = 8, that was 13 MB of garbage per block, 1.7 GB a step).
 */
abstract class LeafTask extends BlockTask<Partial> {
  private static final long serialVersionUID = 1L;

  /** Adds this partition's leaf into {@code node}, the open node of the level above the leaves. */
  void addInto(int partition, DataBlock block, PartialSum node) {
    node.add(call(partition, block));
  }
}
