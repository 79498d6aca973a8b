package io.adaspark.ml;

import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;

/**
 * The model of {@link AdaptiveLogisticRegression}: MLlib's {@code LogisticRegressionModel}
 * columns — {@code rawPrediction} ({@code [-m, m]} for binary, the K margins for multinomial),
 * {@code probability}, {@code prediction} — and accessors ({@link #coefficients},
 * {@link #intercept}, {@link #coefficientMatrix}, {@link #interceptVector}).
 */
public final class AdaptiveLogisticRegressionModel extends AdaptiveModel<AdaptiveLogisticRegressionModel> {
  private static final long serialVersionUID = 1L;

  AdaptiveLogisticRegressionModel(String uid, ModelData data) {
    super(Uids.next(uid), data, false);
  }

  @Override String prefix() { return "adaptiveLogreg"; }

  public Param<String> family() { return adaptive().family; }

  public String getFamily() { return $(family()); }

  /** Whether the model is multinomial (softmax over K margins). */
  public boolean isMultinomial() {
    return data.softmax();
  }

  /** Binary: the weights w (d values). */
  public Vector coefficients() {
    if (isMultinomial()) {
      throw new IllegalStateException("Multinomial models contain a matrix of coefficients, use coefficientMatrix instead.");
    }
    return new DenseVector(java.util.Arrays.copyOf(data.theta(), data.numFeatures()));
  }

  /** Binary: the intercept b. */
  public double intercept() {
    if (isMultinomial()) {
      throw new IllegalStateException("Multinomial models contain a vector of intercepts, use interceptVector instead.");
    }
    return data.theta()[data.numFeatures()];
  }

  /** K × d (binary: 1 × d) coefficients. */
  public Matrix coefficientMatrix() {
    int rows = isMultinomial() ? data.numClasses() : 1;
    int d = data.numFeatures();
    return new DenseMatrix(rows, d, java.util.Arrays.copyOf(data.theta(), rows * d), true);
  }

  /** K (binary: 1) intercepts. */
  public Vector interceptVector() {
    int rows = isMultinomial() ? data.numClasses() : 1;
    int d = data.numFeatures();
    return new DenseVector(java.util.Arrays.copyOfRange(data.theta(), rows * d, rows * d + rows));
  }

  @Override
  AdaptiveLogisticRegressionModel newInstance(String uid, ModelData data) {
    return new AdaptiveLogisticRegressionModel(uid, data);
  }

  public static MLReader<AdaptiveLogisticRegressionModel> read() {
    return new AdaptiveModel.Reader<>(AdaptiveLogisticRegressionModel.class, AdaptiveLogisticRegressionModel::new);
  }

  public static AdaptiveLogisticRegressionModel load(String path) {
    return read().load(path);
  }
}
