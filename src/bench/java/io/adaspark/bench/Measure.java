package io.adaspark.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measuring under a possibly busy machine: each measurement records the load it saw
 * ({@link LoadMonitor}); when other processes and the hypervisor's steal together took more
 * than {@code threshold} cores ({@link LoadMonitor.Load#disturbance}), it is repeated (up to
 * {@code retries} more times) and the least disturbed attempt is kept.
 */
final class Measure {
  private final double threshold;
  private final int retries;
  private final java.io.PrintStream log;

  Measure(double threshold, int retries, java.io.PrintStream log) {
    this.threshold = threshold;
    this.retries = retries;
    this.log = log;
  }

  double threshold() {
    return threshold;
  }

  /** A measured value with the load of the attempt kept, and others' CPU and steal of every attempt. */
  record Result<T>(T value, LoadMonitor.Load load, int attempts, List<Double> othersPerAttempt,
                   List<Double> stealPerAttempt) {}

  <T> Result<T> run(String what, Supplier<T> body) {
    T bestValue = null;
    LoadMonitor.Load bestLoad = null;
    List<Double> others = new ArrayList<>();
    List<Double> steal = new ArrayList<>();
    for (int a = 0; a <= retries; a++) {
      LoadMonitor.Snapshot s0 = LoadMonitor.snapshot();
      T v = body.get();
      LoadMonitor.Load load = LoadMonitor.between(s0, LoadMonitor.snapshot());
      // Rounded values; null where unknown (no /proc): lists that allow null.
      others.add(BenchJson.round(load.otherCores()));
      steal.add(BenchJson.round(load.stealCores()));
      if (bestLoad == null || load.disturbance() < bestLoad.disturbance()) {
        bestValue = v;
        bestLoad = load;
      }
      if (load.disturbance() <= threshold || Double.isNaN(load.disturbance())) break;
      if (a < retries) {
        log.printf("bench: %s disturbed (%s), repeating%n", what, load.brief());
      }
    }
    return new Result<>(bestValue, bestLoad, others.size(), Collections.unmodifiableList(others),
        Collections.unmodifiableList(steal));
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** The index of the (lower) median of {@code v}: the measurement whose figures are reported. */
  static int medianIndex(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) order[i] = i;
    Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
    return order[(v.length - 1) / 2];
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}
