package io.adaspark.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;

/** A file input: a validating scan, then rows keyed by their identity. */
interface RowSource {
  Files.Listing listing();

  /** The Hadoop configuration used to read (and to count lines when reporting errors). */
  Configuration conf();

  /** Validates every record and measures the input; fixes the row identities. */
  ScanStats scan();

  /** Every row with its identity (an ordinal over the files sorted by path), features of size d. */
  JavaPairRDD<Long, LabeledRow> rows(int d, LabelCoding coding);
}
