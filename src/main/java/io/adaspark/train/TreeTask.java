package io.adaspark.train;

import io.adaspark.data.DataBlock;
import java.io.Serializable;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.runtime.AbstractFunction2;

/**
 * One Spark task computing one node of a {@link FixedTree}: it iterates the node's cached blocks
 * in partition order (task g of level ℓ reads partitions {@code [g·F^ℓ, (g+1)·F^ℓ)}), runs the
 * leaf task on each and folds the leaves into the node (above level 0 each leaf adds itself into
 * its open parent, {@link LeafTask#addInto}, so a dense leaf is never a K·n array of its own).
 * For a leaf that {@link LeafTask#groupsRows groups rows} in a tree of depth ≥ 2, each level-1
 * node's blocks are handed over together ({@link LeafTask#addGroupInto}) and the node is written
 * once, its F children counted through the fold as usual. A named class handed straight to
 * {@code SparkContext.runJob}, like {@link BlockTask} (no lambda for the closure cleaner).
 */
final class TreeTask extends AbstractFunction2<TaskContext, scala.collection.Iterator<DataBlock>, Partial>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private final LeafTask leaf;
  private final FixedTree tree;
  private final int level;
  private final int numParams;

  TreeTask(LeafTask leaf, FixedTree tree, int level, int numParams) {
    this.leaf = leaf;
    this.tree = tree;
    this.level = level;
    this.numParams = numParams;
  }

  @Override
  public Partial apply(TaskContext context, scala.collection.Iterator<DataBlock> blocks) {
    int node = context.partitionId();
    int first = node * tree.span(level);
    int end = Math.min(first + tree.span(level), tree.partitions());
    FixedTree.Fold fold = tree.fold(0, level, numParams);
    Partial out = null;
    int p = first;
    if (level >= 1 && tree.depth() >= 2 && leaf.groupsRows()) {
      // level-1 nodes below the root are defined by their rows: gather each one's F blocks
      int f = tree.fanIn();
      java.util.List<DataBlock> group = new java.util.ArrayList<>(f);
      while (blocks.hasNext()) {
        if (p >= end) throw new IllegalStateException("tree node " + node + " got more than " + (end - first) + " blocks");
        group.add(blocks.next());
        p++;
        if (p % f == 0 || p == end) {
          int a = p - group.size();
          DataBlock[] kids = group.toArray(new DataBlock[0]);
          for (int i = 0; i < kids.length; i++) {
            Partial r = fold.addLeaf(a + i, i == 0 ? open -> leaf.addGroupInto(a, kids, open) : open -> { });
            if (r != null) out = r;
          }
          group.clear();
        }
      }
    }
    while (blocks.hasNext()) {
      if (p >= end) throw new IllegalStateException("tree node " + node + " got more than " + (end - first) + " blocks");
      DataBlock block = blocks.next();
      int partition = p;
      Partial r = level == 0 ? fold.add(p, leaf.call(p, block))
          : fold.addLeaf(p, open -> leaf.addInto(partition, block, open));
      if (r != null) out = r;
      p++;
    }
    if (p != end || out == null) {
      throw new IllegalStateException("tree node " + node + " of level " + level + " got " + (p - first)
          + " blocks, expected " + (end - first));
    }
    return out;
  }

  /**
   * Groups of {@code span} contiguous parent partitions in index order (group g: partitions
   * {@code [g·span, (g+1)·span)}), no preferred location of its own (the scheduler then
   * prefers where the group's first cached block lives).
   */
  static final class Contiguous implements PartitionCoalescer, Serializable {
    private static final long serialVersionUID = 1L;
    private final int span;

    Contiguous(int span) {
      this.span = span;
    }

    @Override
    public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
      Partition[] parts = parent.partitions();
      int groups = (parts.length + span - 1) / span;
      PartitionGroup[] out = new PartitionGroup[groups];
      for (int g = 0; g < groups; g++) {
        out[g] = new PartitionGroup(Option.empty());
        for (int p = g * span; p < Math.min((g + 1) * span, parts.length); p++) out[g].partitions().addOne(parts[p]);
      }
      return out;
    }
  }
}
