package io.adaspark.model;

/** Numerically stable per-row losses shared by the models. */
final class Losses {
  private Losses() {}

  /** {@code log(1 + exp(z)) - y·z} as {@code max(z,0) + log1p(exp(-|z|)) - y·z}. */
  static double logistic(double z, double y) {
    return Math.max(z, 0) + log1pUnit(Math.exp(-Math.abs(z))) - y * z;
  }

  /**
   * {@code log(1 + e)} for {@code e} in [0, 1] (the {@code e = exp(-|z|)} of the logistic
   * loss), from the intrinsic {@link Math#log} instead of {@link Math#log1p} (which HotSpot
   * does not compile to an intrinsic on Java 17: it runs the much slower Java port of fdlibm).
   * With {@code u = 1 + e} rounded, {@code c = (u - 1) - e} is exactly the rounding error of
   * {@code u} (u - 1 is exact for u in [1, 2], and so is the difference of the two close
   * terms), so {@code log(1 + e) = log(u - c) = log(u) - c/u} up to {@code (c/u)²/2 < 2⁻¹⁰⁷};
   * where {@code u} rounds to 1 ({@code e ≤ 2⁻⁵³}) the result is {@code e}, which is
   * {@code log1p(e)} to the last bit there. Within 1 ulp of {@link Math#log1p} over [0, 1]
   * (LossesTest: 4 million points from the subnormals to 1, about 88 % of them bit-equal); NaN
   * gives NaN.
   */
  static double log1pUnit(double e) {
    double u = 1 + e;
    if (u == 1) return e;
    double c = (u - 1) - e;
    return Math.log(u) - c / u;
  }

  /**
   * {@code 1/(1+exp(-z))} without overflow for either sign: with {@code e = exp(-|z|)},
   * {@code 1/(1+e)} for z ≥ 0 and {@code e/(1+e)} for z &lt; 0 — one {@code exp} for either
   * sign (the sign only picks the numerator), bit-identical to computing {@code exp(-z)} or
   * {@code exp(z)} in two branches (LossesTest).
   */
  static double sigmoid(double z) {
    double e = Math.exp(-Math.abs(z));
    return (z >= 0 ? 1.0 : e) / (1 + e);
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
