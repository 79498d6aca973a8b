package io.adaspark.sweep;

import io.adaspark.check.JobFileException;
import io.adaspark.train.PlannedRun;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the driver holds for one run while its cohort trains, and the refusal of a job whose
 * single run cannot fit. Per run of n parameters with s optimizer-state doubles per parameter:
 * the parameters, their broadcast copy, the combined (dense) gradient and the state, {@code
 * 8·n·(3 + s)} bytes. Nothing of it grows with the partitions: the executors combine the
 * partials in the fixed tree and the driver folds at most {@code training.fan_in} of them, one
 * at a time, into the cohort's combined gradient.
 *
 * <p>The driver may give cohorts at most {@link #HEAP_FRACTION} of its maximum heap ({@code
 * Runtime.maxMemory()}): the rest is for Spark, the task results in flight, the metric rows and,
 * in local mode, the executors themselves.
 */
public final class DriverBudget {
  private DriverBudget() {}

  /** The share of the driver's maximum heap that the cohorts trained at once may use. */
  public static final double HEAP_FRACTION = 0.5;

  /** Driver bytes of one run: {@code 8·n·(3 + s)}. */
  public static double bytesPerRun(int numParams, int stateDoublesPerParam) {
    return 8.0 * numParams * (3 + stateDoublesPerParam);
  }

  /** The bytes one cohort may use: the job's {@code cohort_memory_mb}, within the heap's share per parallel cohort. */
  public static double cohortBudget(double cohortMemoryMb, int parallelism, long maxHeap) {
    return Math.min(cohortMemoryMb * 1024 * 1024, HEAP_FRACTION * maxHeap / parallelism);
  }

  /**
   * Refuses, before training, a job in which one run alone (with the largest optimizer state of
   * its cohort group) cannot fit the driver's share: one line with the numbers, as a
   * {@link JobFileException} (exit code 2).
   */
  public static void checkFits(String source, List<PlannedRun> runs, Map<?, Integer> numParams,
                               int parallelism, long maxHeap) {
    double available = HEAP_FRACTION * maxHeap / parallelism;
    for (PlannedRun r : runs) {
      int n = numParams.get(r.model());
      int s = r.spec().optimizer().stateSizePerParam();
      double need = bytesPerRun(n, s);
      if (need > available) {
        long k = runs.stream().filter(x -> x.model().equals(r.model())).count();
        throw new JobFileException(String.format(Locale.ROOT,
            "%s: training: one run cannot fit the driver: n = %d parameters, K = 1 of %d runs, %d optimizer "
                + "state doubles per parameter need 8·n·(3 + %d) = %s, the driver has %s (%.2f of max heap %s%s); "
                + "raise --driver-memory or use a smaller model",
            source, n, k, s, s, mb(need), mb(available), HEAP_FRACTION, mb(maxHeap),
            parallelism > 1 ? " / parallelism " + parallelism : ""));
      }
    }
  }

  private static String mb(double bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
