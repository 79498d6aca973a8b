package io.adaspark.train;

import io.adaspark.check.Mix;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The mini-batch sequence: uniform without replacement within an epoch over all training rows,
 * exactly {@code B} rows a step (the last step of an epoch takes the rest), O(B) work a step.
 *
 * <p>Training rows are numbered globally by partition ({@code offsets[p]} is the number of rows
 * in partitions before p). Epoch e shuffles the global numbers with a seeded
 * {@link FeistelPermutation} π_e; step j of the epoch takes the rows π_e(t) for
 * {@code t ∈ [jB, min((j+1)B, n))}. Each partition evaluates π_e at those B positions and keeps
 * the rows it owns. Everything depends only on the seed, the partition sizes and the step, so
 * the sequence is the same on any cluster and after an executor is recomputed.
 */
public final class BatchSampler implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final int batchSize;
  private final long[] offsets;
  private final long n;
  private final long stepsPerEpoch;

  /** @param partitionRows the number of training rows in each partition */
  public BatchSampler(long seed, long[] partitionRows, int batchSize) {
    this.seed = seed;
    this.batchSize = batchSize;
    this.offsets = new long[partitionRows.length + 1];
    for (int p = 0; p < partitionRows.length; p++) offsets[p + 1] = offsets[p] + partitionRows[p];
    this.n = offsets[partitionRows.length];
    if (n < 1) throw new IllegalArgumentException("no training rows");
    this.stepsPerEpoch = (n + batchSize - 1) / batchSize;
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Rows a step uses over all partitions: B, except the last step of an epoch. */
  public long batchRows(long k) {
    long from = (k % stepsPerEpoch) * batchSize;
    return Math.min(n, from + batchSize) - from;
  }

  /** The 0-based epoch of the 0-based step k. */
  public long epoch(long k) {
    return k / stepsPerEpoch;
  }

  /** The rows of {@code partition} used by the 0-based step {@code k}, ascending. */
  public int[] rows(int partition, long k) {
    long e = k / stepsPerEpoch;
    long from = (k % stepsPerEpoch) * batchSize;
    long to = Math.min(n, from + batchSize);
    long lo = offsets[partition];
    long hi = offsets[partition + 1];
    if (lo == hi) return new int[0];
    FeistelPermutation perm = new FeistelPermutation(n, Mix.mix(0xba7c4L, seed, e));
    int[] rows = new int[(int) Math.min(to - from, hi - lo)];
    int count = 0;
    for (long t = from; t < to; t++) {
      long g = perm.at(t);
      if (g >= lo && g < hi) rows[count++] = (int) (g - lo);
    }
    rows = Arrays.copyOf(rows, count);
    Arrays.sort(rows);
    return rows;
  }
}
