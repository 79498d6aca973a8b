package io.adaspark.report;

import java.util.Arrays;

/**
 * Expected best result after n random-search trials (Dodge et al. 2019, "Show Your Work"):
 * from the N observed trial values v₁ ≤ … ≤ v_N (sorted so that v₁ is the best), n trials drawn
 * uniformly with replacement from them have best value v_i with probability
 * ((N − i + 1)/N)ⁿ − ((N − i)/N)ⁿ, so E[best of n] = Σᵢ vᵢ·pᵢ and its spread is the standard
 * deviation √(Σᵢ vᵢ²·pᵢ − E²). Computed exactly from the sorted trials, without resampling.
 */
final class TuningBudget {
  private TuningBudget() {}

  /** One point of the curve: n trials, the expected best and its standard deviation. */
  record Point(int n, double expected, double std) {}

  /**
   * The curve for n = 1..N. {@code lowerIsBetter}: losses (the best is the minimum); else
   * accuracies (the best is the maximum).
   */
  static Point[] curve(double[] values, boolean lowerIsBetter) {
    int big = values.length;
    double[] v = values.clone();
    Arrays.sort(v);
    if (!lowerIsBetter) {
      for (int i = 0; i < big / 2; i++) {
        double t = v[i];
        v[i] = v[big - 1 - i];
        v[big - 1 - i] = t;
      }
    }
    Point[] out = new Point[big];
    for (int n = 1; n <= big; n++) {
      double e = 0;
      double e2 = 0;
      for (int i = 1; i <= big; i++) {
        double p = Math.pow((double) (big - i + 1) / big, n) - Math.pow((double) (big - i) / big, n);
        e += v[i - 1] * p;
        e2 += v[i - 1] * v[i - 1] * p;
      }
      out[n - 1] = new Point(n, e, Math.sqrt(Math.max(0, e2 - e * e)));
    }
    return out;
  }
}
