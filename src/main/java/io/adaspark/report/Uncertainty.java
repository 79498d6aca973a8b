package io.adaspark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Confidence intervals of medians over seeds: the percentile stratified bootstrap of rliable
 * (Agarwal et al. 2021). Each of {@link #RESAMPLES} resamples draws, within every stratum, as
 * many values as the stratum has, uniformly with replacement; the statistic of the resample is
 * recorded; the interval is the 2.5 % and 97.5 % quantiles of those statistics (the
 * ⌈p·B⌉-th smallest of the B values). The resampling stream is seeded with a fixed seed, so the
 * same values always give the same interval. For the median of one configuration's seeds
 * there is one stratum (its seeds); several strata (e.g. jobs) keep each one's count fixed.
 */
final class Uncertainty {
  private Uncertainty() {}

  /** Resamples per interval (rliable's guidance: at least 2,000). */
  static final int RESAMPLES = 10_000;
  /** The resampling stream's seed: fixed, so intervals are reproducible. */
  static final long SEED = 0x5eedb007L;
  static final double LEVEL = 0.95;

  /** A point estimate with its interval; {@code lo}/{@code hi} are null with fewer than 2 values. */
  record Interval(double point, Double lo, Double hi, int n) {
    boolean hasInterval() {
      return lo != null;
    }
  }

  /** The median of the finite values with its 95 % bootstrap interval; null when none is finite. */
  static Interval median(List<Double> values) {
    double[] v = finite(values);
    if (v.length == 0) return null;
    double point = medianOf(v.clone());
    if (v.length < 2) return new Interval(point, null, null, v.length);
    double[] ci = bootstrap(List.of(v), Uncertainty::medianOf, RESAMPLES, SEED);
    return new Interval(point, ci[0], ci[1], v.length);
  }

  /**
   * The percentile interval of {@code statistic} over stratified resamples: {lo, hi}. The
   * statistic receives the concatenated resample (strata in order) and may reorder it.
   */
  static double[] bootstrap(List<double[]> strata, ToDoubleFunction<double[]> statistic, int resamples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int total = 0;
    for (double[] s : strata) total += s.length;
    double[] stats = new double[resamples];
    double[] buf = new double[total];
    for (int b = 0; b < resamples; b++) {
      int k = 0;
      for (double[] s : strata) {
        for (int i = 0; i < s.length; i++) buf[k++] = s[rng.nextInt(s.length)];
      }
      stats[b] = statistic.applyAsDouble(buf);
    }
    Arrays.sort(stats);
    double alpha = (1 - LEVEL) / 2;
    return new double[] {quantile(stats, alpha), quantile(stats, 1 - alpha)};
  }

  /** The ⌈p·n⌉-th smallest of sorted values (the inverse of the empirical CDF). */
  static double quantile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length - 1e-9) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Median (mean of the two middle values for an even count); sorts {@code v} in place. */
  static double medianOf(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  static double[] finite(List<Double> values) {
    List<Double> out = new ArrayList<>();
    for (Double d : values) if (d != null && Double.isFinite(d)) out.add(d);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code 0.0537 [0.0531, 0.0542]}, or the value alone without an interval; "—" for null. */
  static String show(Interval i) {
    if (i == null) return "—";
    if (!i.hasInterval()) return Report.fmt(i.point());
    return Report.fmt(i.point()) + " [" + Report.fmt(i.lo()) + ", " + Report.fmt(i.hi()) + "]";
  }
}
