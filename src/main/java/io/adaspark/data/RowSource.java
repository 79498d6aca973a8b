package io.adaspark.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;

/**
 * A file input: what fixes the row identities ({@link #scan}), then the rows packed into
 * {@link Chunk}s for the loader's single shuffle.
 */
interface RowSource {
  Files.Listing listing();

  /** The Hadoop configuration used to read (and to count lines when reporting errors). */
  Configuration conf();

  /**
   * Fixes the row identities and measures what it can before the shuffle. Text: a validating
   * pass over every record (rows per split, labels, non-zeros, hash). Parquet: the row counts
   * from the footers only (then {@link #scanned()} is false and the rest is measured from the
   * shuffled chunks).
   */
  ScanStats scan();

  /** Whether {@link #scan()} measured the content (labels, non-zeros, hash, features). */
  default boolean scanned() { return true; }

  /**
   * The map side of the loader's shuffle: every row (validated) with its identity, packed into
   * chunks keyed by their target partition ({@link Routing}).
   *
   * @param d the feature count of sparse text rows (LIBSVM); Parquet rows carry their own size
   */
  JavaPairRDD<Integer, byte[]> chunks(Routing routing, int d);

  /** The file (as errors name it) and 0-based record of an identity, for errors found after the shuffle. */
  default String[] locate(long id) {
    throw new UnsupportedOperationException("identities are located by the scan");
  }
}
