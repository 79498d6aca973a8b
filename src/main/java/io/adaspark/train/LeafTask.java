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

  /**
   * Whether this leaf defines the tree's level-1 nodes below the root by their rows rather than
   * as sums of leaves ({@link #addGroupInto}); the tasks must then compute level 1 or above.
   */
  boolean groupsRows() {
    return false;
  }

  /**
   * Adds the leaves of partitions {@code first, first + 1, …} (the blocks of one level-1 node
   * below the root, in index order) into {@code node}, the open level-1 node: by default leaf by
   * leaf ({@link #addInto}).
   */
  void addGroupInto(int first, DataBlock[] blocks, PartialSum node) {
    for (int i = 0; i < blocks.length; i++) addInto(first + i, blocks[i], node);
  }
}
