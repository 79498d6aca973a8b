package io.adaspark.ml;

import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;

/**
 * A multilayer perceptron classifier trained by adaspark (its {@code mlp} model: fully connected,
 * softmax cross-entropy output, weights Glorot / He initialized from {@code seed}), with MLlib's
 * {@code MultilayerPerceptronClassifier} Params {@code layers} ({@code [features, hidden...,
 * classes]}, required) and columns, {@code activation} for the hidden layers ({@code sigmoid} as
 * MLlib, {@code tanh} or {@code relu}), {@code regParam} as adaspark's {@code l2}, and
 * {@link AdaptiveParams}. No {@code weightCol}.
 */
public final class AdaptiveMLPClassifier extends AdaptiveClassifier<AdaptiveMLPClassifier, AdaptiveMLPClassificationModel> {
  private static final long serialVersionUID = 1L;

  public AdaptiveMLPClassifier() {
    this(Identifiable$.MODULE$.randomUID("adaptiveMlpc"));
  }

  public AdaptiveMLPClassifier(String uid) {
    super(Uids.next(uid), true);
  }

  @Override String prefix() { return "adaptiveMlpc"; }

  @Override boolean mlp() { return true; }

  /** Layer sizes {@code [features, hidden..., classes]}. */
  public IntArrayParam layers() { return adaptive().layers; }

  public int[] getLayers() { return $(layers()); }

  public AdaptiveMLPClassifier setLayers(int[] value) { return put(layers(), value); }

  /** Hidden-layer activation: {@code sigmoid} (default, as MLlib), {@code tanh}, {@code relu}. */
  public Param<String> activation() { return adaptive().activation; }

  public String getActivation() { return $(activation()); }

  public AdaptiveMLPClassifier setActivation(String value) { return put(activation(), value); }

  @Override
  AdaptiveMLPClassificationModel model(AdaptiveFit.Fitted f) {
    int[] layers = getLayers();
    String[] acts = new String[layers.length - 2];
    java.util.Arrays.fill(acts, getActivation());
    ModelData d = new ModelData(f.numFeatures(), f.numClasses(), layers.clone(), acts, true, f.theta());
    return new AdaptiveMLPClassificationModel(uid(), d).withSummary(new AdaptiveTrainingSummary(f.result()));
  }

  @Override
  public AdaptiveMLPClassifier copy(org.apache.spark.ml.param.ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<AdaptiveMLPClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static AdaptiveMLPClassifier load(String path) {
    return read().load(path);
  }
}
