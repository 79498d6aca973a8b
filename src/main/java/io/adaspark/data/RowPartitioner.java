package io.adaspark.data;

import io.adaspark.check.Mix;

import org.apache.spark.Partitioner;

/**
 * Assigns a row to a partition by a hash of its identity (its index in the input), so the
 * partition a row lands in depends only on the data and the job's partition count — never on
 * the cluster, the input splits or task timing.
 */
public final class RowPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  public RowPartitioner(int partitions) {
    this.partitions = partitions;
  }

  @Override public int numPartitions() { return partitions; }

  @Override public int getPartition(Object key) {
    return partition((Long) key, partitions);
  }

  /** The partition of the row with this identity among {@code partitions}. */
  static int partition(long rowId, int partitions) {
    return (int) Math.floorMod(Mix.mix(0x5eedL, rowId), (long) partitions);
  }

  @Override public boolean equals(Object o) {
    return o instanceof RowPartitioner p && p.partitions == partitions;
  }

  @Override public int hashCode() { return partitions; }
}
