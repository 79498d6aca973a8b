package io.adaspark.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Memory bandwidth of this JVM: the sum over one large {@code double[]} split between
 * {@code threads} threads (each thread a contiguous half), best of {@code reps} passes, after
 * one warm-up pass. Four interleaved accumulators so the adds do not limit the loop.
 */
final class Bandwidth {
  private Bandwidth() {}

  /** Bytes per second. */
  static double measure(long bytes, int threads, int reps) {
    int n = (int) Math.min(Integer.MAX_VALUE - 16L, bytes / 8);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = i & 7;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      double best = Double.MAX_VALUE;
      double sink = 0;
      for (int r = -1; r < reps; r++) {
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
              s0 += a[i];
              s1 += a[i + 1];
              s2 += a[i + 2];
              s3 += a[i + 3];
            }
            for (; i < to; i++) s0 += a[i];
            sums[tt] = s0 + s1 + s2 + s3;
          });
        }
        for (Future<?> f : parts) f.get();
        double sec = (System.nanoTime() - t0) / 1e9;
        for (double s : sums) sink += s;
        if (r >= 0) best = Math.min(best, sec);
      }
      if (sink == 42) System.err.print("");
      return 8.0 * n / best;
    } catch (Exception e) {
      throw new IllegalStateException("bandwidth measurement failed", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
