package io.adaspark.train;

import io.adaspark.data.Mix;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The mini-batch sequence: without replacement within an epoch, from a seeded per-partition
 * permutation, O(batch) work per step.
 *
 * <p>An epoch has {@code S = ceil(n / B)} steps (n training rows, B the batch size). At step
 * {@code j} of epoch {@code e}, partition p (n_p rows) contributes the rows at positions
 * {@code [floor(j·n_p/S), floor((j+1)·n_p/S))} of its permutation for (seed, p, e). Every row is
 * used exactly once per epoch; a batch holds about n/S &lt;= B rows (each partition's share
 * rounded). Everything depends only on the seed, the partition index and the step, so the
 * sequence is the same on any cluster and after an executor is recomputed.
 */
public final class BatchSampler implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final long stepsPerEpoch;

  public BatchSampler(long seed, long trainRows, int batchSize) {
    this.seed = seed;
    this.stepsPerEpoch = Math.max(1, (trainRows + batchSize - 1) / batchSize);
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** The 0-based epoch of the 0-based step k. */
  public long epoch(long k) {
    return k / stepsPerEpoch;
  }

  /**
   * The rows of partition {@code partition} (holding {@code n} rows) used by the 0-based step
   * {@code k}, sorted ascending (for memory locality).
   */
  public int[] rows(int partition, int n, long k) {
    if (n == 0) return new int[0];
    long e = k / stepsPerEpoch;
    long j = k % stepsPerEpoch;
    long from = j * n / stepsPerEpoch;
    long to = (j + 1) * n / stepsPerEpoch;
    FeistelPermutation perm = new FeistelPermutation(n, Mix.mix(0xba7c4L, seed, partition, e));
    int[] rows = new int[(int) (to - from)];
    for (int i = 0; i < rows.length; i++) rows[i] = (int) perm.at(from + i);
    Arrays.sort(rows);
    return rows;
  }
}
