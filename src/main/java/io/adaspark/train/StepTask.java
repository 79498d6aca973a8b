package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.model.Model;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every partition runs each step: the summed losses and gradients of the K parameter
 * vectors over this partition's share of the mini-batch, in one fused pass (a sparse partial on
 * CSR blocks, see {@link GradientLeaf}). The vectors travel either in a {@link Broadcast} or, when
 * they are small, inside the task itself (Spark already broadcasts every job's task binary, so a
 * small K·n needs no second broadcast of its own); the values, and so the bits, are the same.
 *
 * <p>What travels is either the full vectors or, on CSR blocks from the second step of a
 * sampler on, only their coordinates the step's rows read ({@link Shipped} with an index: the
 * union U over the partitions of the touched parameters of their rows, K·|U| doubles instead of
 * K·n; {@link CohortObjective#step} says why). With {@code withNext} the task also returns the
 * features of this partition's rows of the next step ({@link Partial#nextFeatures}), from which
 * the driver computes the next U; the rows are the sampler's, a function of (seed, partition,
 * step) alone, but the features are only here, on the executor that holds the block.
 */
final class StepTask extends LeafTask {
  private static final long serialVersionUID = 1L;

  /**
   * The parameters a step ships: {@code index == null}: {@code values} are the K full vectors;
   * else {@code values[j][t] = θ_j[index[t]]} for the strictly increasing {@code index}.
   */
  record Shipped(int[] index, double[][] values) implements Serializable {
    /** The doubles shipped: K·n or K·|index|. */
    long doubles() {
      long k = values.length;
      return k == 0 ? 0 : k * values[0].length;
    }
  }

  private final Model model;
  private final Broadcast<?> thetas;
  private final Object inline;
  private final BatchSampler sampler;
  private final long step;
  private boolean withNext;

  StepTask(Model model, Broadcast<double[][]> thetas, BatchSampler sampler, long step) {
    this(model, thetas, null, sampler, step);
  }

  /** The parameter vectors inside the task (small K·n only). */
  StepTask(Model model, double[][] inline, BatchSampler sampler, long step) {
    this(model, null, inline, sampler, step);
  }

  /** Restricted (or full) parameters in a broadcast. */
  static StepTask shared(Model model, Broadcast<Shipped> thetas, BatchSampler sampler, long step) {
    return new StepTask(model, thetas, null, sampler, step);
  }

  /** Restricted (or full) parameters inside the task. */
  static StepTask inline(Model model, Shipped thetas, BatchSampler sampler, long step) {
    return new StepTask(model, null, thetas, sampler, step);
  }

  private StepTask(Model model, Broadcast<?> thetas, Object inline, BatchSampler sampler, long step) {
    this.model = model;
    this.thetas = thetas;
    this.inline = inline;
    this.sampler = sampler;
    this.step = step;
  }

  /** The leaves also return the features of their rows of step {@code step + 1}. */
  StepTask withNext() {
    this.withNext = true;
    return this;
  }

  /** The parameters this task got: full vectors (in the task or a broadcast) or the shipped coordinates. */
  private Shipped shipped() {
    Object v = inline != null ? inline : thetas.value();
    return v instanceof Shipped s ? s : new Shipped(null, (double[][]) v);
  }

  /** The features of this partition's rows of the next step, when asked for ({@link #withNext}). */
  private int[] next(int partition, DataBlock block) {
    return withNext ? GradientLeaf.features(block, sampler.rows(partition, step + 1)) : null;
  }

  @Override
  Partial call(int partition, DataBlock block) {
    Shipped th = shipped();
    int[] rows = sampler.rows(partition, step);
    Partial leaf = GradientLeaf.compute(model, th.index(), th.values(), block, rows, rows.length, partition);
    int[] next = next(partition, block);
    return next == null ? leaf : leaf.withNextFeatures(next);
  }

  /**
   * A step's level-1 nodes below the root are the kernel over their partitions' rows on dense
   * blocks ({@link GradientLeaf#addRowsInto}).
   */
  @Override
  boolean groupsRows() {
    return true;
  }

  /**
   * On dense blocks, the node is the fused kernel over the rows of its partitions, concatenated
   * in partition order (each partition's rows in the sampler's order), starting from {@code +0.0}:
   * one pass over the node's K·n gradient per chunk of rows instead of one per partition and
   * one more to add each leaf. CSR blocks keep their sparse leaves, added one by one.
   */
  @Override
  void addGroupInto(int first, DataBlock[] blocks, PartialSum node) {
    for (DataBlock b : blocks) {
      if (!(b instanceof io.adaspark.data.DenseBlock)) {
        super.addGroupInto(first, blocks, node);
        return;
      }
    }
    Shipped th = shipped();
    int[][] rows = new int[blocks.length][];
    for (int i = 0; i < blocks.length; i++) rows[i] = sampler.rows(first + i, step);
    GradientLeaf.addRowsInto(model, th.index(), th.values(), blocks, rows, node);
  }

  @Override
  void addInto(int partition, DataBlock block, PartialSum node) {
    Shipped th = shipped();
    int[] rows = sampler.rows(partition, step);
    GradientLeaf.addInto(model, th.index(), th.values(), block, rows, rows.length, partition,
        next(partition, block), node);
  }
}
