package io.adaspark.report;

import java.util.ArrayList;
import java.util.List;

/** Medians and friends over seeds, with "never" (null) counted as +infinity where asked. */
final class Stats {
  private Stats() {}

  /** Median of the finite values (mean of the two middle ones for an even count); null if none. */
  static Double median(List<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) if (d != null && Double.isFinite(d)) v.add(d);
    if (v.isEmpty()) return null;
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
  }

  /**
   * Median where null means "never" (+infinity): null when at least half of the values are
   * never (the median is then infinite).
   */
  static Double medianOrNever(List<? extends Number> values) {
    if (values.isEmpty()) return null;
    List<Double> v = new ArrayList<>();
    for (Number x : values) v.add(x == null ? Double.POSITIVE_INFINITY : x.doubleValue());
    v.sort(Double::compare);
    int n = v.size();
    double m = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
    return Double.isFinite(m) ? m : null;
  }

  static Double min(List<Double> values) {
    Double m = null;
    for (Double d : values) if (d != null && Double.isFinite(d) && (m == null || d < m)) m = d;
    return m;
  }

  static Double max(List<Double> values) {
    Double m = null;
    for (Double d : values) if (d != null && Double.isFinite(d) && (m == null || d > m)) m = d;
    return m;
  }

  static boolean finite(Double d) {
    return d != null && Double.isFinite(d);
  }
}
