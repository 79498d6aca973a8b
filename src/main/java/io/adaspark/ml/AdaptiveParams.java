package io.adaspark.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Params shared by the adaptive estimators and their models (MLlib's names and defaults
 * where they exist, adaspark's own otherwise). Each is a public method returning the
 * {@code Param}, so Spark ML finds it ({@code explainParams}, grids, persistence); the setters
 * are on the concrete classes (chainable).
 *
 * <table>
 *   <caption>Params</caption>
 *   <tr><th>Param</th><th>default</th><th>job-file equivalent</th></tr>
 *   <tr><td>maxIter</td><td>100</td><td>training.steps</td></tr>
 *   <tr><td>regParam</td><td>0.0</td><td>model.l2</td></tr>
 *   <tr><td>tol</td><td>1e-6</td><td>(relative change of the train loss between evaluations)</td></tr>
 *   <tr><td>seed</td><td>hash of the class name (as MLlib)</td><td>training.seed</td></tr>
 *   <tr><td>optimizer</td><td>adam</td><td>optimizers[i].type</td></tr>
 *   <tr><td>learningRate</td><td>0.01</td><td>optimizers[i].lr</td></tr>
 *   <tr><td>batchSize</td><td>32</td><td>training.batch_size</td></tr>
 *   <tr><td>optimizerParams</td><td>{}</td><td>the rest of optimizers[i]</td></tr>
 *   <tr><td>schedule</td><td>"" (constant)</td><td>optimizers[i].schedule</td></tr>
 *   <tr><td>clip</td><td>"" (none)</td><td>optimizers[i].clip</td></tr>
 *   <tr><td>numPartitions</td><td>4</td><td>training.partitions</td></tr>
 *   <tr><td>evalEvery</td><td>0 (maxIter/20)</td><td>training.eval_every</td></tr>
 * </table>
 */
public interface AdaptiveParams extends Params {
  /** The Param objects of this instance. */
  AdaptiveParamSet adaptive();

  default IntParam maxIter() { return adaptive().maxIter; }

  default DoubleParam regParam() { return adaptive().regParam; }

  default DoubleParam tol() { return adaptive().tol; }

  default LongParam seed() { return adaptive().seed; }

  default Param<String> optimizer() { return adaptive().optimizer; }

  default DoubleParam learningRate() { return adaptive().learningRate; }

  default IntParam batchSize() { return adaptive().batchSize; }

  default Param<String> optimizerParams() { return adaptive().optimizerParams; }

  default Param<String> schedule() { return adaptive().schedule; }

  default Param<String> clip() { return adaptive().clip; }

  default IntParam numPartitions() { return adaptive().numPartitions; }

  default IntParam evalEvery() { return adaptive().evalEvery; }

  default int getMaxIter() { return (Integer) $(maxIter()); }

  default double getRegParam() { return (Double) $(regParam()); }

  default double getTol() { return (Double) $(tol()); }

  default long getSeed() { return (Long) $(seed()); }

  default String getOptimizer() { return $(optimizer()); }

  default double getLearningRate() { return (Double) $(learningRate()); }

  default int getBatchSize() { return (Integer) $(batchSize()); }

  default String getOptimizerParams() { return $(optimizerParams()); }

  default String getSchedule() { return $(schedule()); }

  default String getClip() { return $(clip()); }

  default int getNumPartitions() { return (Integer) $(numPartitions()); }

  default int getEvalEvery() { return (Integer) $(evalEvery()); }
}
