package io.adaspark.model;

/** Numerically stable per-row losses shared by the models. */
final class Losses {
  private Losses() {}

  /**
   * {@code log(1 + exp(z)) - y·z} as {@code (max(z,0) + log1p(exp(-|z|))) - y·z}, with the
   * fixed-operation {@link Kernels#expNonPositive} and {@link Kernels#log1pUnit}: the same bits as
   * the training pass's {@link Kernels#logisticTerms}, on every machine.
   */
  static double logistic(double z, double y) {
    return (Math.max(z, 0) + Kernels.log1pUnit(Kernels.expNonPositive(-Math.abs(z)))) - y * z;
  }

  /**
   * Softmax cross-entropy of the K logits {@code z[o .. o+K)} for class y, with the max-shifted
   * log-sum-exp: {@code m + log Σ exp(z_k - m) - z_y}. Overwrites the logits with
   * {@code softmax(z) - onehot(y)} (the gradient with respect to the logits) and returns the
   * loss.
   */
  static double softmaxInPlace(double[] z, int o, int k, int y) {
    checkLabel(y, k);
    double m = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) m = Math.max(m, z[o + c]);
    double loss = -(z[o + y] - m);
    double s = 0;
    for (int c = 0; c < k; c++) {
      double e = Math.exp(z[o + c] - m);
      s += e;
      z[o + c] = e;
    }
    loss += Math.log(s);
    for (int c = 0; c < k; c++) z[o + c] /= s;
    z[o + y] -= 1;
    return loss;
  }

  /** Index of the largest of {@code z[o .. o+K)} (the first one on ties). */
  static int argmax(double[] z, int o, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) if (z[o + c] > z[o + best]) best = c;
    return best;
  }

  static void checkLabel(int y, int k) {
    if (y < 0 || y >= k) {
      throw new IllegalArgumentException("label " + y + " outside the classes 0.." + (k - 1));
    }
  }
}
