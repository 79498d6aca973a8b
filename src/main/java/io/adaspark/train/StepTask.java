package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.model.Model;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every partition runs each step: the summed losses and gradients of the K broadcast
 * parameter vectors over this partition's share of the mini-batch, in one fused pass (a sparse
 * partial on CSR blocks, see {@link GradientLeaf}).
 */
final class StepTask extends BlockTask<Partial> {
  private static final long serialVersionUID = 1L;
  private final Model model;
  private final Broadcast<double[][]> thetas;
  private final BatchSampler sampler;
  private final long step;

  StepTask(Model model, Broadcast<double[][]> thetas, BatchSampler sampler, long step) {
    this.model = model;
    this.thetas = thetas;
    this.sampler = sampler;
    this.step = step;
  }

  @Override
  Partial call(int partition, DataBlock block) {
    double[][] th = thetas.value();
    int[] rows = sampler.rows(partition, step);
    return GradientLeaf.compute(model, th, block, rows, rows.length, partition);
  }
}
