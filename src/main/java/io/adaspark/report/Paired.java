package io.adaspark.report;

import java.util.Arrays;

/**
 * Paired comparisons of two optimizers over the seeds they share. Runs with the same seed
 * start from the same point and see the same mini-batches, so the per-seed difference
 * d = a − b isolates the optimizer. Lower is better for the values given here (losses).
 *
 * <ul>
 *   <li>Probability of improvement: (wins + ties / 2) / n, a win being a seed where a &lt; b.</li>
 *   <li>Sign test: two-sided exact binomial p-value of the wins among the non-tied seeds
 *       under p = 1/2: min(1, 2·P(X ≤ min(wins, losses))), X ~ Bin(wins + losses, 1/2).</li>
 *   <li>Wilcoxon signed-rank test (Wilcoxon's zero handling: zero differences dropped; tied
 *       |d| get their average rank): W⁺ = the rank sum of the positive differences; the
 *       two-sided p-value min(1, 2·min(P(W⁺ ≤ w), P(W⁺ ≥ w))) from the exact distribution of W⁺
 *       over the 2ⁿ sign assignments of the observed ranks when n ≤ {@link #EXACT_UP_TO}, else
 *       the normal approximation with the tie-corrected variance and a continuity correction.</li>
 * </ul>
 */
final class Paired {
  private Paired() {}

  static final int EXACT_UP_TO = 50;

  /** (wins + ties/2) / n over the pairs (a[i], b[i]), a win being a[i] &lt; b[i]; NaN for n = 0. */
  static double probabilityOfImprovement(double[] a, double[] b) {
    if (a.length == 0) return Double.NaN;
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] < b[i] ? 1 : a[i] == b[i] ? 0.5 : 0;
    return s / a.length;
  }

  /** Two-sided exact sign-test p-value of {@code wins} against {@code losses} (ties left out). */
  static double signTest(int wins, int losses) {
    int n = wins + losses;
    if (n == 0) return 1;
    int k = Math.min(wins, losses);
    double tail = 0;
    for (int i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.log(2));
    return Math.min(1, 2 * tail);
  }

  static double signTest(double[] a, double[] b) {
    int wins = 0;
    int losses = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] < b[i]) wins++;
      else if (a[i] > b[i]) losses++;
    }
    return signTest(wins, losses);
  }

  /** Two-sided Wilcoxon signed-rank p-value of the differences d; 1 when every d is 0. */
  static double wilcoxon(double[] d) {
    double[] nz = Arrays.stream(d).filter(x -> x != 0 && Double.isFinite(x)).toArray();
    int n = nz.length;
    if (n == 0) return 1;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (x, y) -> Double.compare(Math.abs(nz[x]), Math.abs(nz[y])));
    // Doubled midranks: integers even with ties.
    int[] rank2 = new int[n];
    double tieTerm = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && Math.abs(nz[order[j + 1]]) == Math.abs(nz[order[i]])) j++;
      int r2 = (i + 1) + (j + 1); // 2 × the average of ranks i+1..j+1
      for (int k = i; k <= j; k++) rank2[order[k]] = r2;
      int t = j - i + 1;
      tieTerm += (double) t * t * t - t;
      i = j + 1;
    }
    int w2 = 0;
    int total2 = 0;
    for (int i = 0; i < n; i++) {
      total2 += rank2[i];
      if (nz[i] > 0) w2 += rank2[i];
    }
    if (n <= EXACT_UP_TO) {
      // counts[s] = number of sign assignments with doubled positive rank sum s.
      double[] counts = new double[total2 + 1];
      counts[0] = 1;
      int reach = 0;
      for (int i = 0; i < n; i++) {
        for (int s = reach; s >= 0; s--) if (counts[s] != 0) counts[s + rank2[i]] += counts[s];
        reach += rank2[i];
      }
      double all = Math.pow(2, n);
      double le = 0;
      double ge = 0;
      for (int s = 0; s <= total2; s++) {
        if (s <= w2) le += counts[s];
        if (s >= w2) ge += counts[s];
      }
      return Math.min(1, 2 * Math.min(le, ge) / all);
    }
    double w = w2 / 2.0;
    double mean = n * (n + 1) / 4.0;
    double var = n * (n + 1) * (2.0 * n + 1) / 24.0 - tieTerm / 48.0;
    if (var <= 0) return 1;
    double z = (Math.abs(w - mean) - 0.5) / Math.sqrt(var);
    return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
  }

  static double normalCdf(double z) {
    return 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
  }

  private static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
    return s;
  }
}
