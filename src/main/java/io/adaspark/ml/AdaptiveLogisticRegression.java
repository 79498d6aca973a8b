package io.adaspark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.Identifiable$;

/**
 * Logistic regression (binary sigmoid, or multinomial softmax) trained by adaspark: data-parallel
 * mini-batch steps over cached blocks, any of adaspark's optimizers on the driver. A Spark ML
 * {@code ProbabilisticClassifier}: Params {@code featuresCol}, {@code labelCol},
 * {@code predictionCol}, {@code probabilityCol}, {@code rawPredictionCol}, {@code thresholds}
 * as MLlib's {@code LogisticRegression}, plus {@link AdaptiveParams} and {@code family}
 * ({@code auto}: binary for 2 classes, softmax for more; {@code binomial}; {@code multinomial}:
 * softmax even for 2). No {@code weightCol}. The objective is adaspark's {@code logreg} with
 * {@code l2 = regParam}: mean log-loss + ½·regParam·‖W‖², intercepts unpenalized, features as
 * given (no internal standardization: put a {@code StandardScaler} before it).
 *
 * <pre>
 *   new AdaptiveLogisticRegression().setOptimizer("adam").setLearningRate(0.01)
 *       .setSchedule("{\"type\": \"cosine\", \"T_max\": 300}").setMaxIter(300).setBatchSize(32)
 * </pre>
 */
public final class AdaptiveLogisticRegression
    extends AdaptiveClassifier<AdaptiveLogisticRegression, AdaptiveLogisticRegressionModel> {
  private static final long serialVersionUID = 1L;

  public AdaptiveLogisticRegression() {
    this(Identifiable$.MODULE$.randomUID("adaptiveLogreg"));
  }

  public AdaptiveLogisticRegression(String uid) {
    super(Uids.next(uid), false);
  }

  @Override String prefix() { return "adaptiveLogreg"; }

  @Override boolean mlp() { return false; }

  /** {@code auto}, {@code binomial} or {@code multinomial} (MLlib's {@code family}). */
  public Param<String> family() { return adaptive().family; }

  public String getFamily() { return $(family()); }

  public AdaptiveLogisticRegression setFamily(String value) { return put(family(), value); }

  @Override
  AdaptiveLogisticRegressionModel model(AdaptiveFit.Fitted f) {
    boolean softmax = f.model().numParams() != f.numFeatures() + 1;
    int[] sizes = softmax ? new int[] {f.numFeatures(), f.numClasses()} : new int[] {f.numFeatures(), 1};
    ModelData d = new ModelData(f.numFeatures(), f.numClasses(), sizes, new String[0], softmax, f.theta());
    return new AdaptiveLogisticRegressionModel(uid(), d).withSummary(new AdaptiveTrainingSummary(f.result()));
  }

  @Override
  public AdaptiveLogisticRegression copy(org.apache.spark.ml.param.ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<AdaptiveLogisticRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static AdaptiveLogisticRegression load(String path) {
    return read().load(path);
  }
}
