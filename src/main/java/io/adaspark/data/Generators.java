package io.adaspark.data;

import io.adaspark.check.Mix;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The synthetic generators. Row i is drawn from its own stream,
 * {@code new SplittableRandom(Mix.mix(seed, 0x5eed, i))}, so it is the same whatever the
 * partition count; fixed parts of the problem (true weights, class means) come from streams
 * keyed by (seed, tag, index). One instance per task (it caches the fixed parts).
 */
final class Generators implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Logistic: standard deviation of the logit (before the intercept). */
  static final double SCALE = 3.0;
  /** Logistic: true intercept. */
  static final double BIAS = 0.0;
  /** Gaussian mixture: class means have norm about this (unit-variance noise around them). */
  static final double SEPARATION = 3.0;
  private static final long TRUTH = 0x7e0e7e0eL;
  private static final long MEANS = 0x6d6d6d6dL;

  final SyntheticSpec spec;
  final int d;
  final int k; // non-zeros per row (sparse logistic) or d
  final boolean sparse;
  private transient double[] fixed;
  private transient int[] tmpIdx;
  private transient double[] tmpVal;

  Generators(SyntheticSpec spec) {
    this.spec = spec;
    this.d = spec.features();
    this.sparse = spec.generator().equals("logistic") && spec.density() < 1.0;
    this.k = sparse ? spec.nnzPerRow() : d;
  }

  /** The true weights of the logistic generator: w[j] ~ N(0, 1) from the stream (seed, TRUTH, j). */
  public static double[] trueWeights(long seed, int d) {
    double[] w = new double[d];
    for (int j = 0; j < d; j++) w[j] = new SplittableRandom(Mix.mix(seed, TRUTH, j)).nextGaussian();
    return w;
  }

  /** Class means of the mixture: mu[c][j] = SEPARATION/sqrt(d) · N(0, 1) from (seed, MEANS, c, j). */
  static double[] classMeans(long seed, int classes, int d) {
    double[] mu = new double[classes * d];
    double s = SEPARATION / Math.sqrt(d);
    for (int c = 0; c < classes; c++) {
      for (int j = 0; j < d; j++) mu[c * d + j] = s * new SplittableRandom(Mix.mix(seed, MEANS, c, j)).nextGaussian();
    }
    return mu;
  }

  private double[] fixed() {
    if (fixed == null) {
      fixed = switch (spec.generator()) {
        case "logistic" -> trueWeights(spec.seed(), d);
        case "gaussian_mixture" -> classMeans(spec.seed(), spec.classes(), d);
        default -> new double[0];
      };
    }
    return fixed;
  }

  static SplittableRandom rowStream(long seed, long row) {
    return new SplittableRandom(Mix.mix(seed, 0x5eedL, row));
  }

  /** Dense row i into x[off .. off+d); returns its label. */
  double dense(long i, double[] x, int off) {
    if (sparse) { // a sparse generator written densely ("layout": "dense")
      if (tmpIdx == null) {
        tmpIdx = new int[k];
        tmpVal = new double[k];
      }
      double label = sparse(i, tmpIdx, tmpVal, 0);
      Arrays.fill(x, off, off + d, 0.0);
      for (int p = 0; p < k; p++) x[off + tmpIdx[p]] = tmpVal[p];
      return label;
    }
    SplittableRandom r = rowStream(spec.seed(), i);
    int classes = spec.classes();
    double label;
    switch (spec.generator()) {
      case "logistic" -> {
        double[] w = fixed();
        double z = 0;
        for (int j = 0; j < d; j++) {
          double v = r.nextGaussian();
          x[off + j] = v;
          z += w[j] * v;
        }
        label = bernoulli(r, BIAS + SCALE / Math.sqrt(d) * z);
      }
      case "gaussian_mixture" -> {
        double[] mu = fixed();
        int c = r.nextInt(classes);
        for (int j = 0; j < d; j++) x[off + j] = mu[c * d + j] + r.nextGaussian();
        label = c;
      }
      case "spheres" -> {
        int c = r.nextInt(classes);
        double norm = 0;
        for (int j = 0; j < d; j++) {
          double v = r.nextGaussian();
          x[off + j] = v;
          norm += v * v;
        }
        double radius = (1.0 + c + 0.1 * r.nextGaussian()) / Math.sqrt(norm);
        for (int j = 0; j < d; j++) x[off + j] *= radius;
        label = c;
      }
      case "xor" -> {
        for (int j = 0; j < d; j++) x[off + j] = 2 * r.nextDouble() - 1;
        label = (x[off] > 0) != (x[off + 1] > 0) ? 1 : 0;
      }
      default -> throw new IllegalStateException(spec.generator());
    }
    return noisy(r, label, classes);
  }

  /** Sparse row i: exactly k distinct increasing indices into idx/val at off; returns its label. */
  double sparse(long i, int[] idx, double[] val, int off) {
    if (!sparse) { // a dense generator stored as CSR ("layout": "sparse"): all d values
      if (tmpVal == null) tmpVal = new double[d];
      double label = dense(i, tmpVal, 0);
      for (int j = 0; j < d; j++) {
        idx[off + j] = j;
        val[off + j] = tmpVal[j];
      }
      return label;
    }
    SplittableRandom r = rowStream(spec.seed(), i);
    if (4L * k < d) {
      // Draw k indices, sort, redraw duplicates (rare when k << d).
      for (int p = 0; p < k; p++) idx[off + p] = r.nextInt(d);
      while (true) {
        Arrays.sort(idx, off, off + k);
        boolean dup = false;
        for (int p = off + 1; p < off + k; p++) {
          if (idx[p] == idx[p - 1]) {
            idx[p] = r.nextInt(d);
            dup = true;
          }
        }
        if (!dup) break;
      }
    } else {
      // Selection sampling (Knuth's algorithm S): increasing by construction.
      int chosen = 0;
      for (int j = 0; j < d && chosen < k; j++) {
        if (r.nextInt(d - j) < k - chosen) idx[off + chosen++] = j;
      }
    }
    double[] w = fixed();
    double z = 0;
    for (int p = off; p < off + k; p++) {
      double v = r.nextGaussian();
      val[p] = v;
      z += w[idx[p]] * v;
    }
    return noisy(r, bernoulli(r, BIAS + SCALE / Math.sqrt(k) * z), 2);
  }

  private static double bernoulli(SplittableRandom r, double z) {
    return r.nextDouble() < 1.0 / (1.0 + Math.exp(-z)) ? 1.0 : 0.0;
  }

  private double noisy(SplittableRandom r, double label, int classes) {
    if (spec.noise() > 0 && r.nextDouble() < spec.noise()) {
      return classes == 2 ? 1.0 - label : (label + 1 + r.nextInt(classes - 1)) % classes;
    }
    return label;
  }
}
