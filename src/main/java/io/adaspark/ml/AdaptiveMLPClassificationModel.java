package io.adaspark.ml;

import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;

/**
 * The model of {@link AdaptiveMLPClassifier}: {@code rawPrediction} is the output layer's K
 * values, {@code probability} their softmax, {@code prediction} the argmax — as MLlib's
 * {@code MultilayerPerceptronClassificationModel}. {@link #parameters} holds the weights in
 * adaspark's layout (per layer {@code W[out][in]} row-major, then {@code b[out]}).
 */
public final class AdaptiveMLPClassificationModel extends AdaptiveModel<AdaptiveMLPClassificationModel> {
  private static final long serialVersionUID = 1L;

  AdaptiveMLPClassificationModel(String uid, ModelData data) {
    super(Uids.next(uid), data, true);
  }

  @Override String prefix() { return "adaptiveMlpc"; }

  public IntArrayParam layers() { return adaptive().layers; }

  public int[] getLayers() { return $(layers()); }

  public Param<String> activation() { return adaptive().activation; }

  public String getActivation() { return $(activation()); }

  @Override
  AdaptiveMLPClassificationModel newInstance(String uid, ModelData data) {
    return new AdaptiveMLPClassificationModel(uid, data);
  }

  public static MLReader<AdaptiveMLPClassificationModel> read() {
    return new AdaptiveModel.Reader<>(AdaptiveMLPClassificationModel.class, AdaptiveMLPClassificationModel::new);
  }

  public static AdaptiveMLPClassificationModel load(String path) {
    return read().load(path);
  }
}
