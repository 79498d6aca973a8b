package io.adaspark.data;

import io.adaspark.config.CsvSpec;
import io.adaspark.config.DataSpec;
import io.adaspark.config.LibsvmSpec;
import io.adaspark.config.ParquetSpec;
import io.adaspark.config.SyntheticSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.stat.Summarizer$;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads the job's data into cached per-partition blocks, deterministically.
 *
 * <p>File inputs (LIBSVM, CSV, Parquet): a validating pass reads every record, rejects bad
 * input with {@code file:line} (or {@code file: record N}) before anything is trained, and
 * fixes each row's identity: its ordinal over the files sorted by path (data lines only, in
 * file order; Parquet: row index within the file). The train/test split and the partition of
 * a row are hashes of that identity; rows inside a partition are in identity order; the
 * standardization statistics are merged in partition order. So the blocks — and every number
 * computed from them — are the same on one core, two cores or a cluster, for any input split
 * sizes, and after an executor is lost. Synthetic data: {@link SyntheticSource}.
 */
public final class DatasetLoader {
  /** More distinct labels than this is not a classification dataset. */
  static final int MAX_CLASSES = 100_000;

  private DatasetLoader() {}

  public static PreparedData load(SparkSession spark, DataSpec spec, int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (spec instanceof SyntheticSpec s) return SyntheticSource.load(jsc, s, partitions);
    RowSource source;
    Integer givenD = null;
    if (spec instanceof LibsvmSpec l) {
      source = TextSource.libsvm(jsc, l);
      givenD = l.numFeatures();
    } else if (spec instanceof CsvSpec c) {
      source = TextSource.csv(jsc, c);
    } else if (spec instanceof ParquetSpec p) {
      source = ParquetSource.of(spark, p);
    } else {
      throw new IllegalArgumentException("unknown data spec " + spec);
    }
    return load(source, spec, givenD, partitions);
  }

  private static PreparedData load(RowSource source, DataSpec spec, Integer givenD, int partitions) {
    var conf = source.conf();
    ScanStats stats = source.scan();
    String path = spec.source();
    if (stats.rows == 0) throw new DataException(path + ": no rows (empty input)");
    int d = givenD != null ? givenD : stats.features;
    if (d <= 0) throw new DataException(path + ": no features (every row is empty: set num_features)");
    LabelCoding coding = coding(stats, conf);

    long splitSeed = spec.splitSeed();
    double testFraction = spec.testFraction();
    double density = (double) stats.nonZeros / ((double) stats.rows * d);
    boolean sparse = switch (spec.layout()) {
      case "sparse" -> true;
      case "dense" -> false;
      default -> density < DataSpec.SPARSE_BELOW;
    };
    JavaPairRDD<Long, LabeledRow> rows = source.rows(d, coding);
    RowPartitioner partitioner = new RowPartitioner(partitions);
    JavaPairRDD<Long, LabeledRow> trainRows = rows.filter(t -> !isTest(splitSeed, testFraction, t._1))
        .repartitionAndSortWithinPartitions(partitioner);
    JavaPairRDD<Long, LabeledRow> testRows = rows.filter(t -> isTest(splitSeed, testFraction, t._1))
        .repartitionAndSortWithinPartitions(partitioner);

    double[] mean = null;
    double[] std = null;
    double[] factor = null;
    if (spec.standardize()) {
      // After the shuffle: partitions and row order depend only on the identities, so the
      // merged statistics do not depend on the input splits. The shuffle output is reused below.
      SummarizerBuffer s = Files.guard(conf, () -> summarize(trainRows));
      if (s.count() == 0) throw new DataException(path + ": no training rows after the split");
      std = s.std().toArray();
      factor = new double[d];
      for (int j = 0; j < d; j++) factor[j] = std[j] != 0.0 ? 1.0 / std[j] : 0.0;
      if (!sparse) mean = s.mean().toArray();
    }

    BlockBuilder builder = new BlockBuilder(d, sparse, mean, factor);
    JavaRDD<DataBlock> train = trainRows.mapPartitions(builder).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DataBlock> test = testRows.mapPartitions(builder).persist(StorageLevel.MEMORY_AND_DISK());
    train.setName("adaspark train blocks");
    test.setName("adaspark test blocks");
    List<long[]> perTrain = Files.guard(conf, () -> blockStats(train));
    long[] tr = totals(perTrain);
    long[] te = totals(Files.guard(conf, () -> blockStats(test)));
    long[] partitionRows = perTrain.stream().mapToLong(s -> s[0]).toArray();
    if (tr[0] == 0) {
      train.unpersist(false);
      test.unpersist(false);
      throw new DataException(path + ": no training rows after the split");
    }
    Files.Listing files = source.listing();
    DataFingerprint fp = new DataFingerprint(files.qualified(), spec.typeName(), files.bytes(), files.files().size(),
        stats.rows, String.format("%016x", stats.hash));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("identity", "ordinal over the files sorted by path (data lines / Parquet rows in file order)");
    return new PreparedData(train, test, d, coding.classes(), partitionRows, tr[0], te[0], partitions, tr[1] + te[1],
        density, coding.description(), mean, std, fp, sparse ? "sparse" : "dense", details);
  }

  /**
   * Labels to class indices: strings in sorted order; numbers as given (0..K-1) or -1/+1 (then
   * nothing else may occur). A label out of range is reported where it was first seen.
   */
  static LabelCoding coding(ScanStats stats, org.apache.hadoop.conf.Configuration conf) {
    if (!stats.stringLabels.isEmpty()) return LabelCoding.strings(new TreeSet<>(stats.stringLabels.keySet()));
    TreeMap<Double, String[]> labels = stats.labels;
    if (labels.containsKey(-1.0)) {
      for (Map.Entry<Double, String[]> e : labels.entrySet()) {
        double l = e.getKey();
        if (l != -1.0 && l != 1.0) {
          throw Files.located(conf, stats.at(e.getValue(), "label " + io.adaspark.config.Checks.show(l)
              + " in a file with label -1: expected -1/+1 for binary, or 0..K-1"));
        }
      }
      return LabelCoding.plusMinusOne();
    }
    int classes = Math.max(2, (int) labels.lastKey().doubleValue() + 1);
    return LabelCoding.asGiven(classes);
  }

  static boolean isTest(long splitSeed, double testFraction, long rowId) {
    return testFraction > 0 && Mix.unit(Mix.mix(0x7e57L, splitSeed, rowId)) < testFraction;
  }

  /** MLlib's Summarizer per partition, merged in partition order (deterministic). */
  private static SummarizerBuffer summarize(JavaPairRDD<Long, LabeledRow> rows) {
    List<SummarizerBuffer> parts = rows.mapPartitions(it -> {
      SummarizerBuffer b = newBuffer();
      while (it.hasNext()) b.add(it.next()._2.features());
      return List.of(b).iterator();
    }).collect();
    SummarizerBuffer total = newBuffer();
    for (SummarizerBuffer b : parts) total = total.merge(b);
    return total;
  }

  static SummarizerBuffer newBuffer() {
    return Summarizer$.MODULE$.createSummarizerBuffer(
        scala.jdk.javaapi.CollectionConverters.asScala(List.of("mean", "std", "count")).toSeq());
  }

  /** Rows and bytes of each block, in partition order (this also materializes the cache). */
  static List<long[]> blockStats(JavaRDD<DataBlock> blocks) {
    return blocks.map(b -> new long[] {b.numRows(), b.sizeInBytes()}).collect();
  }

  static long[] totals(List<long[]> per) {
    long[] t = new long[2];
    for (long[] p : per) {
      t[0] += p[0];
      t[1] += p[1];
    }
    return t;
  }
}
