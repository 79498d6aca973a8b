package io.adaspark.sweep;

import io.adaspark.check.JobFileException;
import io.adaspark.train.PassMemory;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.TrainingSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the driver holds for one run while its cohort trains, and the refusal of a job whose
 * single run cannot fit. Per run of n parameters with s optimizer-state doubles per parameter:
 * the parameters, their broadcast copy, the combined (dense) gradient and the state, {@code
 * 8·n·(3 + s)} bytes, and its metric rows until the cohort is committed ({@link #rowBytesPerRun}).
 * Nothing of it grows with the partitions: the executors combine the
 * partials in the fixed tree and the driver folds at most {@code training.fan_in} of them, one
 * at a time, into the cohort's combined gradient. (On CSR data a step after its sampler's first
 * ships only the coordinates its rows read, K·|U| doubles instead of the K·n copy; the copy
 * stays counted: the first step, and every evaluation, ship the full vectors.)
 *
 * <p>The driver may give cohorts at most {@link #HEAP_FRACTION} of its maximum heap ({@code
 * Runtime.maxMemory()}) and their full passes (evaluations, where every partial is dense and
 * Spark copies each task result on its way) {@link PassMemory#FRACTION} more; the rest is for
 * Spark, the metric rows and, in local mode, the cached blocks. A full pass carries as many of
 * its cohort's runs as fit its share ({@link PassMemory}), at least one: {@link #checkPassFits}
 * refuses a job in which even one run's pass cannot fit.
 */
public final class DriverBudget {
  private DriverBudget() {}

  /** The share of the driver's maximum heap that the cohorts trained at once may use. */
  public static final double HEAP_FRACTION = 0.5;

  /** Driver bytes of one run: {@code 8·n·(3 + s)}. */
  public static double bytesPerRun(int numParams, int stateDoublesPerParam) {
    return 8.0 * numParams * (3 + stateDoublesPerParam);
  }

  /**
   * Driver bytes of one metric row a run keeps until its cohort is committed: a step's row (the
   * {@code MetricRow} record, its boxed learning rate and batch loss, its list slot) measured at
   * 158 bytes on a 64-bit JVM with compressed references.
   */
  public static final double BYTES_PER_METRIC_ROW = 160;

  /** What an evaluated row adds (its boxed losses, accuracies, AUC, norm and suboptimality). */
  public static final double BYTES_PER_EVALUATION = 128;

  /**
   * Driver bytes of one run's metric rows by the end of its cohort: one row a step and the
   * initial one, evaluated every {@code evalEvery} steps. A sweep of 1,000 runs × 10,000 steps
   * keeps 1.6 GB of rows in all, so cohorts are sized by them too and each cohort's rows leave
   * the driver when it is committed.
   */
  public static double rowBytesPerRun(long steps, long evalEvery) {
    return BYTES_PER_METRIC_ROW * (steps + 1) + BYTES_PER_EVALUATION * (steps / Math.max(1, evalEvery) + 1);
  }

  /** All the driver holds for run {@code r} of n parameters while its cohort trains, for {@code trainRows} training rows. */
  public static double bytesPerRun(PlannedRun r, int numParams, long trainRows) {
    return bytesPerRun(numParams, r.spec().optimizer().stateSizePerParam()) + rowBytesPerRun(r, trainRows);
  }

  private static double rowBytesPerRun(PlannedRun r, long trainRows) {
    TrainingSpec t = r.training();
    long steps = t.resolveSteps(Math.max(1, (trainRows + t.batchSize() - 1) / t.batchSize()));
    return rowBytesPerRun(steps, t.resolveEvalEvery(steps));
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
  public static void checkFits(String source, List<PlannedRun> runs, Map<?, Integer> numParams, long trainRows,
                               int parallelism, long maxHeap) {
    double available = HEAP_FRACTION * maxHeap / parallelism;
    for (PlannedRun r : runs) {
      int n = numParams.get(r.model());
      int s = r.spec().optimizer().stateSizePerParam();
      double params = bytesPerRun(n, s);
      double rows = rowBytesPerRun(r, trainRows);
      if (params + rows > available) {
        long k = runs.stream().filter(x -> x.model().equals(r.model())).count();
        throw new JobFileException(String.format(Locale.ROOT,
            "%s: training: one run cannot fit the driver: n = %d parameters, K = 1 of %d runs, %d optimizer "
                + "state doubles per parameter need 8·n·(3 + %d) = %s and its metric rows %s, the driver has %s "
                + "(%.2f of max heap %s%s); raise --driver-memory, use a smaller model or fewer steps",
            source, n, k, s, s, mb(params), mb(rows), mb(available), HEAP_FRACTION, mb(maxHeap),
            parallelism > 1 ? " / parallelism " + parallelism : ""));
      }
    }
  }

  /**
   * Refuses, before training, a job in which the full pass (evaluation) of one run alone cannot
   * fit its share of the driver ({@link PassMemory}: {@code 8·n·(T + 1 + S)}, {@code 5·S} in
   * local mode, for T tree tasks and S executor slots): one line with the numbers, as a
   * {@link JobFileException} (exit code 2), never an OutOfMemoryError mid-run.
   */
  public static void checkPassFits(String source, List<PlannedRun> runs, Map<?, Integer> numParams, int partitions,
                                   int parallelism, int slots, boolean local, long maxHeap) {
    double available = PassMemory.budget(maxHeap, parallelism);
    for (PlannedRun r : runs) {
      int n = numParams.get(r.model());
      int fanIn = r.training().fanIn();
      int tasks = PassMemory.tasks(partitions, fanIn);
      double need = PassMemory.bytesPerRun(n, tasks, slots, local);
      if (need > available) {
        throw new JobFileException(String.format(Locale.ROOT,
            "%s: training: one run's full pass cannot fit the driver: n = %d parameters, T = %d tree tasks "
                + "(partitions %d, fan_in %d), S = %d executor slots%s need 8·n·(T + 1 + %sS) = %s, the driver has "
                + "%s (%.2f of max heap %s%s); raise --driver-memory, lower training.fan_in or use a smaller model",
            source, n, tasks, partitions, fanIn, slots, local ? " in local mode" : "",
            local ? PassMemory.LOCAL_COPIES_PER_SLOT + "·" : "", mb(need), mb(available), PassMemory.FRACTION,
            mb(maxHeap), parallelism > 1 ? " / parallelism " + parallelism : ""));
      }
    }
  }

  private static String mb(double bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
