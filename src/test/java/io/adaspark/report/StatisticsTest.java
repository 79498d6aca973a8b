package io.adaspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The report's statistics against references worked by hand or enumerated directly: the
 * tuning-budget formula, the bootstrap interval, the sign and Wilcoxon tests, the probability
 * of improvement and the integrated performance-profile score.
 */
class StatisticsTest {

  @Test
  void expectedBestOfNTrialsOnFiveValuesWorkedByHand() {
    // Losses 0.5, 0.1, 0.3, 0.2, 0.4 (sorted: 0.1 .. 0.5, N = 5).
    // n = 1: the mean 0.3; variance mean(v²) − 0.09 = 0.11 − 0.09 = 0.02.
    // n = 2: P(best = v_i) = ((6−i)/5)² − ((5−i)/5)² = 9, 7, 5, 3, 1 (/25):
    //   E = (0.9 + 1.4 + 1.5 + 1.2 + 0.5)/25 = 0.22; E[v²] = (0.09 + 0.28 + 0.45 + 0.48 + 0.25)/25 = 0.062,
    //   variance 0.062 − 0.0484 = 0.0136.
    // n = 5: 1 − (4/5)⁵ = 2101/3125, then 781, 211, 31, 1 (/3125): E = 442.5/3125 = 0.1416.
    TuningBudget.Point[] c = TuningBudget.curve(new double[] {0.5, 0.1, 0.3, 0.2, 0.4}, true);
    assertEquals(5, c.length);
    assertEquals(1, c[0].n());
    assertEquals(0.3, c[0].expected(), 1e-15);
    assertEquals(Math.sqrt(0.02), c[0].std(), 1e-12);
    assertEquals(0.22, c[1].expected(), 1e-15);
    assertEquals(Math.sqrt(0.0136), c[1].std(), 1e-12);
    assertEquals(0.1416, c[4].expected(), 1e-15);
    // Accuracies (higher is better): n = 2 weights 9, 7, 5, 3, 1 on 0.5, 0.4, 0.3, 0.2, 0.1 → 9.5/25.
    TuningBudget.Point[] acc = TuningBudget.curve(new double[] {0.5, 0.1, 0.3, 0.2, 0.4}, false);
    assertEquals(0.38, acc[1].expected(), 1e-15);
    assertEquals(0.3, acc[0].expected(), 1e-15);
    // The expected best improves with every trial.
    for (int i = 1; i < c.length; i++) assertTrue(c[i].expected() < c[i - 1].expected());
  }

  /**
   * The exact bootstrap distribution of the median of a resample of {@code x}: every count
   * vector (c₁..c_n) with Σc = n (the compositions), with its multinomial probability
   * n!/(Πcᵢ!)/nⁿ. Returns median → probability.
   */
  static TreeMap<Double, Double> exactBootstrapMedian(double[] x) {
    int n = x.length;
    TreeMap<Double, Double> dist = new TreeMap<>();
    enumerate(x, new int[n], 0, n, dist);
    return dist;
  }

  private static void enumerate(double[] x, int[] c, int i, int left, TreeMap<Double, Double> dist) {
    int n = x.length;
    if (i == n - 1) {
      c[i] = left;
      double logP = logFactorial(n) - n * Math.log(n);
      for (int k : c) logP -= logFactorial(k);
      double[] sample = new double[n];
      int at = 0;
      for (int k = 0; k < n; k++) for (int r = 0; r < c[k]; r++) sample[at++] = x[k];
      java.util.Arrays.sort(sample);
      double med = n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2;
      dist.merge(med, Math.exp(logP), Double::sum);
      return;
    }
    for (int k = 0; k <= left; k++) {
      c[i] = k;
      enumerate(x, c, i + 1, left - k, dist);
    }
  }

  private static double logFactorial(int k) {
    double s = 0;
    for (int i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }

  /** The smallest value whose CDF reaches p. */
  static double exactQuantile(TreeMap<Double, Double> dist, double p) {
    double cdf = 0;
    for (Map.Entry<Double, Double> e : dist.entrySet()) {
      cdf += e.getValue();
      if (cdf >= p - 1e-12) return e.getKey();
    }
    return dist.lastKey();
  }

  @Test
  void bootstrapIntervalOfAMedianMatchesTheDirectEnumeration() {
    // Eight seeds' final losses; all 6435 count vectors of a resample enumerated exactly.
    double[] x = {0.0531, 0.0549, 0.0537, 0.0602, 0.0524, 0.0577, 0.0541, 0.0512};
    TreeMap<Double, Double> dist = exactBootstrapMedian(x);
    assertEquals(1.0, dist.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
    List<Double> values = new ArrayList<>();
    for (double v : x) values.add(v);
    Uncertainty.Interval ci = Uncertainty.median(values);
    assertEquals((0.0537 + 0.0541) / 2, ci.point(), 1e-15); // sorted: ..., 0.0537, 0.0541, ...
    assertEquals(8, ci.n());
    // The Monte Carlo quantile (10,000 resamples) lies where the exact CDF is within ±0.006 of
    // 2.5 % / 97.5 % (more than 4 standard errors of the empirical CDF at that size).
    assertTrue(ci.lo() >= exactQuantile(dist, 0.025 - 0.006) && ci.lo() <= exactQuantile(dist, 0.025 + 0.006),
        ci + " vs exact " + exactQuantile(dist, 0.025));
    assertTrue(ci.hi() >= exactQuantile(dist, 0.975 - 0.006) && ci.hi() <= exactQuantile(dist, 0.975 + 0.006),
        ci + " vs exact " + exactQuantile(dist, 0.975));
    assertTrue(ci.lo() < ci.point() && ci.point() < ci.hi());
    // Reproducible: a fixed resampling seed.
    assertEquals(ci, Uncertainty.median(values));

    // Three values by hand: P(median = 1) = P(at least two 1s) = (3·2 + 1)/27 = 7/27 > 2.5 %, so the
    // interval is [1, 4], the sample's extremes.
    Uncertainty.Interval small = Uncertainty.median(List.of(1.0, 2.0, 4.0));
    assertEquals(2.0, small.point());
    assertEquals(1.0, small.lo());
    assertEquals(4.0, small.hi());
    assertEquals("2 [1, 4]", Uncertainty.show(small));
  }

  @Test
  void oneSeedHasNoInterval() {
    Uncertainty.Interval one = Uncertainty.median(java.util.Arrays.asList(0.0537, null, Double.NaN));
    assertEquals(0.0537, one.point());
    assertFalse(one.hasInterval());
    assertNull(one.lo());
    assertEquals("0.0537", Uncertainty.show(one));
    assertNull(Uncertainty.median(List.of()));
    assertEquals("—", Uncertainty.show(null));
  }

  @Test
  void signAndWilcoxonTestsAgainstHandAndTableValues() {
    // Sign test: 9 wins of 10: 2·(1 + 10)/2¹⁰.
    assertEquals(22.0 / 1024, Paired.signTest(9, 1), 1e-15);
    assertEquals(0.25, Paired.signTest(3, 0), 1e-15);
    assertEquals(1.0, Paired.signTest(2, 2), 1e-15);
    assertEquals(1.0, Paired.signTest(0, 0));
    // Wilcoxon, all n differences positive: only 1 of the 2ⁿ sign assignments reaches W⁺ = n(n+1)/2.
    assertEquals(2.0 / 32, Paired.wilcoxon(new double[] {1, 2, 3, 4, 5}), 1e-15);
    assertEquals(2.0 / 64, Paired.wilcoxon(new double[] {-0.1, -0.2, -0.3, -0.4, -0.5, -0.6}), 1e-15);
    // Fisher's (Darwin's maize) differences, the textbook example of SciPy's wilcoxon: W⁻ = 10 + 14 = 24,
    // exact two-sided p = 2·676/2¹⁵ = 0.041259765625.
    assertEquals(0.041259765625, Paired.wilcoxon(new double[] {6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60,
        -67, 75}), 1e-15);
    // Ties and a zero, by hand: d = 1, −1, 2, 2, 3 (and 0, dropped): midranks 1.5, 1.5, 3.5, 3.5, 5,
    // W⁺ = 13.5 of 15. Sign assignments with W⁺ ≥ 13.5: those whose negative ranks sum ≤ 1.5 —
    // none, either 1.5: 3 of 32; two-sided p = 6/32.
    assertEquals(6.0 / 32, Paired.wilcoxon(new double[] {1, -1, 2, 0, 2, 3}), 1e-15);
    assertEquals(1.0, Paired.wilcoxon(new double[] {0, 0}));
    // Probability of improvement: wins at 1 < 2 and 4 < 5, a tie at 2 = 2, a loss at 3 > 1: 2.5/4.
    assertEquals(0.625, Paired.probabilityOfImprovement(new double[] {1, 2, 3, 4}, new double[] {2, 2, 1, 5}));
  }

  @Test
  void integratedProfileScoreOnAThreeOptimizerTableWorkedByHand() {
    // Four problems; ratios r(p, s). ∫₁⁴ 1[r ≤ τ] dτ = 4 − r for r ≤ 4, else 0; B = mean/3.
    // A: 1, 1, 2, ∞  → (3 + 3 + 2 + 0)/4/3 = 2/3
    // B: 2, 1.5, 1, 1 → (2 + 2.5 + 3 + 3)/4/3 = 0.875
    // C: 5, ∞, 3, 4  → (0 + 0 + 1 + 0)/4/3 = 1/12
    double inf = Double.POSITIVE_INFINITY;
    Map<String, double[]> ratios = new LinkedHashMap<>();
    ratios.put("A", new double[] {1, 1, 2, inf});
    ratios.put("B", new double[] {2, 1.5, 1, 1});
    ratios.put("C", new double[] {5, inf, 3, 4});
    List<Profiles.Problem> problems = List.of(new Profiles.Problem("j", 1), new Profiles.Problem("j", 2),
        new Profiles.Problem("j", 3), new Profiles.Problem("j", 4));
    Profiles.Profile p = new Profiles.Profile("steps", problems, ratios);
    assertEquals(2.0 / 3, p.score("A", 4), 1e-15);
    assertEquals(0.875, p.score("B", 4), 1e-15);
    assertEquals(1.0 / 12, p.score("C", 4), 1e-15);
    // The same by integrating ρ(τ) numerically (midpoint rule over [1, 4]).
    for (String s : ratios.keySet()) {
      int steps = 300_000;
      double h = 3.0 / steps;
      double integral = 0;
      for (int i = 0; i < steps; i++) integral += p.rho(s, 1 + (i + 0.5) * h) * h;
      assertEquals(integral / 3, p.score(s, 4), 1e-5, s);
    }
  }
}
