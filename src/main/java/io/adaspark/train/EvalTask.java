package io.adaspark.train;

import io.adaspark.data.DataBlock;
import io.adaspark.model.Model;
import org.apache.spark.broadcast.Broadcast;

/**
 * A full pass over every row of each partition for K parameter vectors: with
 * {@code withGradient} the summed losses and full-data gradients (training set); otherwise the
 * summed losses and correct predictions (test set).
 */
final class EvalTask extends LeafTask {
  private static final long serialVersionUID = 1L;
  private final Model model;
  private final Broadcast<double[][]> thetas;
  private final boolean withGradient;

  EvalTask(Model model, Broadcast<double[][]> thetas, boolean withGradient) {
    this.model = model;
    this.thetas = thetas;
    this.withGradient = withGradient;
  }

  @Override
  Partial call(int partition, DataBlock block) {
    double[][] th = thetas.value();
    int n = block.numRows();
    int k = th.length;
    if (withGradient) {
      return GradientLeaf.compute(model, th, block, null, n, partition);
    }
    double[] losses = new double[k];
    double[] correct = new double[k];
    double[] out = new double[2];
    for (int j = 0; j < k && n > 0; j++) {
      out[0] = 0;
      out[1] = 0;
      model.addEvaluation(th[j], block, out);
      losses[j] = out[0];
      correct[j] = out[1];
    }
    return new Partial(partition, n, losses, null, correct);
  }

  @Override
  void addInto(int partition, DataBlock block, PartialSum node) {
    if (!withGradient) {
      super.addInto(partition, block, node);
      return;
    }
    GradientLeaf.addInto(model, null, thetas.value(), block, null, block.numRows(), partition, null, node);
  }
}
