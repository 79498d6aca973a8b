package io.adaspark.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Memory bandwidth of this JVM: the sum over one large {@code double[]} split between
 * {@code threads} threads (each thread a contiguous part). Four interleaved accumulators so the
 * adds do not limit the loop. One instance holds the array and the threads, so that sums can be
 * taken between other measurements (benchmark row 6 alternates them with gradient passes).
 */
final class Bandwidth implements AutoCloseable {
  private final double[] a;
  private final int threads;
  private final ExecutorService pool;
  private double sink;

  Bandwidth(long bytes, int threads) {
    int n = (int) Math.min(Integer.MAX_VALUE - 16L, bytes / 8);
    this.a = new double[n];
    for (int i = 0; i < n; i++) a[i] = i & 7;
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** Bytes one sum reads. */
  long bytes() {
    return 8L * a.length;
  }

  /** Seconds of one sum over the whole array. */
  double sumSeconds() {
    int n = a.length;
    double[] arr = a;
    long t0 = System.nanoTime();
    Future<?>[] parts = new Future<?>[threads];
    double[] sums = new double[threads];
    for (int t = 0; t < threads; t++) {
      int tt = t;
      int from = (int) ((long) n * t / threads);
      int to = (int) ((long) n * (t + 1) / threads);
      parts[t] = pool.submit(() -> {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
          s0 += arr[i];
          s1 += arr[i + 1];
          s2 += arr[i + 2];
          s3 += arr[i + 3];
        }
        for (; i < to; i++) s0 += arr[i];
        sums[tt] = s0 + s1 + s2 + s3;
      });
    }
    try {
      for (Future<?> f : parts) f.get();
    } catch (Exception e) {
      throw new IllegalStateException("bandwidth measurement failed", e);
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    for (double s : sums) sink += s;
    return sec;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    if (sink == 42) System.err.print("");
  }
}
