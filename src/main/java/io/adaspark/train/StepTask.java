package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.model.Model;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every partition runs each step: the summed losses and gradients of the K parameter
 * vectors over this partition's share of the mini-batch, in one fused pass (a sparse partial on
 * CSR blocks, see {@link GradientLeaf}). The vectors travel either in a {@link Broadcast} or, when
 * they are small, inside the task itself (Spark already broadcasts every job's task binary, so a
 * small K·n needs no second broadcast of its own); the values, and so the bits, are the same.
 */
final class StepTask extends LeafTask {
  private static final long serialVersionUID = 1L;
  private final Model model;
  private final Broadcast<double[][]> thetas;
  private final double[][] inline;
  private final BatchSampler sampler;
  private final long step;

  StepTask(Model model, Broadcast<double[][]> thetas, BatchSampler sampler, long step) {
    this(model, thetas, null, sampler, step);
  }

  /** The parameter vectors inside the task (small K·n only). */
  StepTask(Model model, double[][] inline, BatchSampler sampler, long step) {
    this(model, null, inline, sampler, step);
  }

  private StepTask(Model model, Broadcast<double[][]> thetas, double[][] inline, BatchSampler sampler, long step) {
    this.model = model;
    this.thetas = thetas;
    this.inline = inline;
    this.sampler = sampler;
    this.step = step;
  }

  @Override
  Partial call(int partition, DataBlock block) {
    double[][] th = inline != null ? inline : thetas.value();
    int[] rows = sampler.rows(partition, step);
    return GradientLeaf.compute(model, th, block, rows, rows.length, partition);
  }

  @Override
  void addInto(int partition, DataBlock block, PartialSum node) {
    double[][] th = inline != null ? inline : thetas.value();
    int[] rows = sampler.rows(partition, step);
    GradientLeaf.addInto(model, th, block, rows, rows.length, partition, node);
  }
}
