package io.adaspark.ml;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted network in adaspark's parameter layout ({@code io.adaspark.model}): layer by layer
 * {@code W_l[out][in]} row-major, then {@code b_l[out]}; binary logistic regression is
 * {@code w[d]} then {@code b}. The forward pass here serves {@code transform}; training never
 * uses it.
 *
 * @param sizes {@code [d, hidden..., K]}; binary logistic regression {@code [d, 1]} (one margin)
 * @param activations one per hidden layer: {@code sigmoid}, {@code tanh} or {@code relu}
 * @param softmax whether the output is K softmax scores (false: one sigmoid margin)
 */
record ModelData(int numFeatures, int numClasses, int[] sizes, String[] activations, boolean softmax,
                 double[] theta) implements java.io.Serializable {
  static final StructType SCHEMA = DataTypes.createStructType(new StructField[] {
      DataTypes.createStructField("numFeatures", DataTypes.IntegerType, false),
      DataTypes.createStructField("numClasses", DataTypes.IntegerType, false),
      DataTypes.createStructField("sizes", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
      DataTypes.createStructField("activations", DataTypes.createArrayType(DataTypes.StringType, false), false),
      DataTypes.createStructField("softmax", DataTypes.BooleanType, false),
      DataTypes.createStructField("theta", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
  });

  /** The raw scores of one row: {@code [-m, m]} (binary logistic) or the K output values. */
  double[] raw(Vector x) {
    if (x.size() != numFeatures) {
      throw new IllegalArgumentException("the features have " + x.size() + " values, the model expects " + numFeatures);
    }
    int off = 0;
    double[] h = null;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[] z = new double[out];
      for (int i = 0; i < out; i++) {
        int w = off + i * in;
        z[i] = l == 0 ? dot(x, w) : dot(h, w);
      }
      int b = off + in * out;
      for (int i = 0; i < out; i++) z[i] += theta[b + i];
      off = b + out;
      if (l + 2 < sizes.length) activate(activations[l], z);
      h = z;
    }
    if (!softmax) return new double[] {-h[0], h[0]};
    return h;
  }

  private double dot(Vector x, int w) {
    double s = 0;
    if (x instanceof SparseVector sv) {
      int[] idx = sv.indices();
      double[] v = sv.values();
      for (int k = 0; k < idx.length; k++) s += theta[w + idx[k]] * v[k];
    } else {
      double[] v = ((DenseVector) x).values();
      for (int j = 0; j < v.length; j++) s += theta[w + j] * v[j];
    }
    return s;
  }

  private double dot(double[] h, int w) {
    double s = 0;
    for (int j = 0; j < h.length; j++) s += theta[w + j] * h[j];
    return s;
  }

  private static void activate(String a, double[] z) {
    for (int i = 0; i < z.length; i++) {
      z[i] = switch (a) {
        case "tanh" -> Math.tanh(z[i]);
        case "relu" -> Math.max(z[i], 0.0);
        default -> 1.0 / (1.0 + Math.exp(-z[i]));
      };
    }
  }
}
