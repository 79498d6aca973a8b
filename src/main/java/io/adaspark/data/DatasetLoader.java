package io.adaspark.data;

import io.adaspark.check.Mix;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.stat.Summarizer$;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Loads the job's data into cached per-partition blocks, deterministically.
 *
 * <p>File inputs (LIBSVM, CSV, Parquet): every record is read and validated before anything is
 * trained; bad input is rejected with {@code file:line} (or {@code file: record N}). A row's
 * identity is its ordinal over the files sorted by path (data lines only, in file order;
 * Parquet: row index within the file), fixed before the data moves: text by a validating pass
 * that counts the data lines of each input split, Parquet by the row counts in the footers. The
 * train/test split and the partition of a row are hashes of that identity.
 *
 * <p>Then one shuffle for train and test together ({@link Routing}): training rows of partition
 * p go to reduce partition p, test rows to P + p, in {@link Chunk}s of primitive arrays. One job
 * over the shuffle output computes the standardization statistics (MLlib's summarizer over each
 * training partition's rows in identity order, merged in partition order) and, for Parquet, the
 * measures the text scan takes ({@link ChunkStats}); one job builds the blocks
 * ({@link BlockBuilder}: rows in identity order). Training and test blocks are views of
 * partitions 0..P−1 and P..2P−1 of those 2P blocks. So the blocks — and every number computed
 * from them — are the same on one core, two cores or a cluster, for any input split sizes, and
 * after an executor is lost. Synthetic data: {@link SyntheticSource}.
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

  static PreparedData load(RowSource source, DataSpec spec, Integer givenD, int partitions) {
    var conf = source.conf();
    String path = spec.source();
    // Text: the validating, counting pass. Parquet: the footers' row counts, nothing read yet.
    ScanStats stats = source.scan();
    if (stats.rows == 0) throw new DataException(path + ": no rows (empty input)");
    boolean scanned = source.scanned();
    int d = -1;
    LabelCoding coding = null;
    if (scanned) {
      d = givenD != null ? givenD : stats.features;
      if (d <= 0) throw new DataException(path + ": no features (every row is empty: set num_features)");
      coding = coding(stats, conf);
    }

    // One shuffle for train and test: reduce partition p holds the training rows of partition
    // p, P + p its test rows, packed in chunks of primitive arrays. The input is read once
    // more (text) or once (Parquet); every job below reads the shuffle output, which Spark keeps.
    Routing routing = new Routing(partitions, spec.splitSeed(), spec.testFraction(), spec.validationFraction());
    int groups = routing.targets() / partitions; // train, test (and validation)
    JavaRDD<Tuple2<Integer, byte[]>> shuffled = source.chunks(routing, d)
        .partitionBy(new Routing.Targets(routing.targets())).rdd().toJavaRDD();

    boolean standardize = spec.standardize();
    // Each partition's chunks decoded once for the two jobs below: the statistics job caches them
    // and the blocks job reads them from memory instead of decompressing and decoding the shuffle
    // output a second time (benchmark row 7: 0.3 s of 3.4). MEMORY_ONLY: a partition that does not
    // fit is simply not kept, and the blocks job decodes it again from the shuffle output. They
    // are dropped once the blocks are cached, so the loader's peak is the decoded chunks plus
    // the blocks (twice the data) where memory allows, and as before where it does not.
    JavaRDD<List<Chunk>> decoded = shuffled.mapPartitions(it -> List.<List<Chunk>>of(BlockBuilder.decode(it)).iterator());
    try {
      Moments summary = null;
      if (!scanned || standardize) {
        decoded.persist(StorageLevel.MEMORY_ONLY()).setName("adaspark loader chunks");
        // One job over the decoded chunks: Parquet's content measures (every partition) and the
        // standardization statistics — MLlib's summarizer over each training partition's rows in
        // identity order, merged in partition order below. The blocks are built after it, from
        // the same chunks, already standardized: no unstandardized copy of the data is made.
        JavaRDD<List<Chunk>> in = scanned ? view(decoded, 0, partitions) : decoded;
        List<ChunkStats> parts = Files.guard(conf, () -> in.mapPartitionsWithIndex(
            (q, it) -> List.of(ChunkStats.of(it.next(), !scanned, standardize && q < partitions)).iterator(), false)
            .collect());
        if (!scanned) {
          ChunkStats total = new ChunkStats();
          for (ChunkStats c : parts) total.merge(c);
          stats = measured(source, total, stats.rows);
          d = stats.features;
          if (d <= 0) throw new DataException(path + ": no features (every row is empty: set num_features)");
          coding = coding(stats, conf);
        }
        if (standardize) {
          summary = new Moments();
          for (int q = 0; q < partitions; q++) summary = summary.merge(parts.get(q).summary);
        }
      }
      double density = (double) stats.nonZeros / ((double) stats.rows * d);
      boolean sparse = switch (spec.layout()) {
        case "sparse" -> true;
        case "dense" -> false;
        default -> density < DataSpec.SPARSE_BELOW;
      };

      double[] mean = null;
      double[] std = null;
      double[] factor = null;
      if (standardize) {
        if (summary.count() == 0) throw new DataException(path + ": no training rows after the split");
        std = summary.std();
        factor = new double[d];
        for (int j = 0; j < d; j++) factor[j] = std[j] != 0.0 ? 1.0 / std[j] : 0.0;
        if (!sparse) mean = summary.mean();
      }

      // The 2P blocks, computed from the shuffle output; train (partitions 0..P-1, in order) and
      // test (P..2P-1) are views of them, and the views are what is cached: each block is built
      // and stored once, PreparedData's RDDs are the cached ones (unpersist, storage info), and
      // a lost block is rebuilt from the shuffle output (or, if that is lost too, the input).
      JavaRDD<DataBlock> blocks = decoded.mapPartitions(new BlockBuilder(d, sparse, mean, factor, coding));
      JavaRDD<DataBlock> train = view(blocks, 0, partitions).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<DataBlock> test = view(blocks, partitions, 2 * partitions).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<DataBlock> validation = groups < 3 ? null
          : view(blocks, 2 * partitions, 3 * partitions).persist(StorageLevel.MEMORY_AND_DISK());
      train.setName("adaspark train blocks");
      test.setName("adaspark test blocks");
      if (validation != null) validation.setName("adaspark validation blocks");
      List<long[]> per;
      long[] tr;
      try {
        JavaRDD<DataBlock> all = validation == null ? train.union(test) : train.union(test).union(validation);
        per = Files.guard(conf, () -> blockStats(all)); // one job caches them all
        tr = totals(per.subList(0, partitions));
        if (tr[0] == 0) throw new DataException(path + ": no training rows after the split");
      } catch (RuntimeException e) {
        train.unpersist(false);
        test.unpersist(false);
        if (validation != null) validation.unpersist(false);
        throw e;
      }
      List<long[]> perTrain = per.subList(0, partitions);
      long[] te = totals(per.subList(partitions, 2 * partitions));
      long[] va = validation == null ? new long[2] : totals(per.subList(2 * partitions, 3 * partitions));
      long[] partitionRows = perTrain.stream().mapToLong(s -> s[0]).toArray();
      Files.Listing files = source.listing();
      DataFingerprint fp = new DataFingerprint(files.qualified(), spec.typeName(), files.bytes(), files.files().size(),
          stats.rows, String.format("%016x", stats.hash));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("identity", "ordinal over the files sorted by path (data lines / Parquet rows in file order)");
      return new PreparedData(train, test, d, coding.classes(), partitionRows, tr[0], te[0], partitions,
          tr[1] + te[1] + va[1], density, coding.description(), mean, std, fp, sparse ? "sparse" : "dense", details,
          validation, va[0]);
    } finally {
      decoded.unpersist(false); // nothing of it stays cached, whether the load succeeds or fails
    }
  }

  /** Partitions [from, to) of an RDD as an RDD of their own (in order, renumbered from 0). */
  static <T> JavaRDD<T> view(JavaRDD<T> rdd, int from, int to) {
    return new JavaRDD<>(PartitionPruningRDD.create(rdd.rdd(), new Range(from, to)), rdd.classTag());
  }

  /** Whether a partition index lies in [from, to); for {@link PartitionPruningRDD}. */
  private static final class Range extends scala.runtime.AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;

    Range(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override public Object apply(Object p) {
      int i = (Integer) p;
      return i >= from && i < to;
    }
  }

  /**
   * The scan's measures from the shuffled chunks' (Parquet): labels located at their first
   * record, one vector size for all rows. The row count must agree with the footers'.
   */
  private static ScanStats measured(RowSource source, ChunkStats c, long footerRows) {
    if (c.rows != footerRows) {
      throw new IllegalStateException("read " + c.rows + " rows, the footers count " + footerRows);
    }
    ScanStats s = new ScanStats(null, 0, true);
    s.rows = c.rows;
    s.nonZeros = c.nonZeros;
    s.hash = c.hash;
    if (c.tooManyStrings >= 0 || c.strings.size() > MAX_CLASSES) {
      long at = c.tooManyStrings >= 0 ? c.tooManyStrings : c.strings.values().stream().max(Long::compare).get();
      throw s.at(source.locate(at), "more than " + MAX_CLASSES + " distinct labels: not a classification dataset");
    }
    c.labels.forEach((l, id) -> s.labels.put(l, source.locate(id)));
    c.strings.forEach((l, id) -> s.stringLabels.put(l, source.locate(id)));
    if (c.sizes.size() > 1) {
      // The earliest size is the rule; the next one found is the error.
      List<Map.Entry<Integer, Long>> bySeen = new ArrayList<>(c.sizes.entrySet());
      bySeen.sort(Map.Entry.comparingByValue());
      String[] first = source.locate(bySeen.get(0).getValue());
      String[] other = source.locate(bySeen.get(1).getValue());
      int size = bySeen.get(1).getKey();
      int rule = bySeen.get(0).getKey();
      if (first[0].equals(other[0])) {
        throw s.at(other, "features have " + size + " values, other rows " + rule);
      }
      throw new DataException(Files.display(other[0]) + ": rows have " + size + " features, other files " + rule);
    }
    s.features = c.sizes.isEmpty() ? 0 : c.sizes.firstKey();
    return s;
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
          throw Files.located(conf, stats.at(e.getValue(), "label " + io.adaspark.check.Checks.show(l)
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

  /** A row's split: {@link #TRAIN}, {@link #TEST} or {@link #VALIDATION}. */
  static final int TRAIN = 0;
  static final int TEST = 1;
  static final int VALIDATION = 2;

  /**
   * Which split a row belongs to, from one hash u of (split seed, identity): test when
   * u &lt; test_fraction (exactly {@link #isTest}), validation when u &lt; test_fraction +
   * validation_fraction, train otherwise. So the three splits are disjoint by construction, and
   * without a validation split every row is where it was before.
   */
  public static int split(long splitSeed, double testFraction, double validationFraction, long rowId) {
    if (isTest(splitSeed, testFraction, rowId)) return TEST;
    if (validationFraction > 0 && Mix.unit(Mix.mix(0x7e57L, splitSeed, rowId)) < testFraction + validationFraction) {
      return VALIDATION;
    }
    return TRAIN;
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
