package io.adaspark.data;

import io.adaspark.config.DataSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer$;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Loads the job's data into cached per-partition blocks, deterministically: every row gets an
 * identity (its index in the input, with input splits fixed by the job's partition count, not
 * by the cluster); the train/test split and the partition of a row are hashes of that identity;
 * rows inside a partition are in identity order. So the blocks — and every number computed from
 * them — are the same on one core, two cores or a cluster, and after an executor is lost.
 */
public final class DatasetLoader {
  /** More distinct labels than this is not a classification dataset. */
  static final int MAX_CLASSES = 100_000;

  private DatasetLoader() {}

  public static PreparedData load(SparkSession spark, DataSpec spec, int partitions) {
    DataFingerprint files = inspectFiles(spark.sparkContext().hadoopConfiguration(), spec);
    // Input splits must not depend on the cluster's cores (the default minimum number of
    // file partitions is the default parallelism): fix it to the job's partition count.
    spark.conf().set("spark.sql.files.minPartitionNum", Integer.toString(partitions));
    DataFrameReader reader = spark.read().format("libsvm");
    if (spec.numFeatures() != null) reader = reader.option("numFeatures", spec.numFeatures().toString());
    Dataset<Row> df;
    try {
      df = reader.load(spec.path());
    } catch (RuntimeException e) {
      throw new DataException(spec.path() + ": cannot read as LIBSVM: " + rootMessage(e), e);
    }
    int d = AttributeGroup.fromStructField(df.schema().apply("features")).size();
    JavaRDD<LabeledRow> rows = df.javaRDD().map(r -> new LabeledRow(r.getDouble(0), (Vector) r.get(1)));

    InputStats stats = InputStats.of(rows, spec.path());
    if (stats.rows == 0) throw new DataException(spec.path() + ": no rows (empty input)");
    boolean plusMinusOne = stats.labels.first() == -1.0 && stats.labels.last() == 1.0
        && stats.labels.size() == 2;
    int classes;
    String coding;
    if (plusMinusOne) {
      classes = 2;
      coding = "-1 -> 0, +1 -> 1";
    } else {
      for (double l : stats.labels) {
        if (l < 0 || l != Math.rint(l)) {
          throw new DataException(spec.path() + ": label " + l + " is not a class index "
              + "(expected 0..K-1, or -1/+1 for binary)");
        }
      }
      classes = Math.max(2, (int) stats.labels.last().doubleValue() + 1);
      coding = "as given (0.." + (classes - 1) + ")";
    }

    long splitSeed = spec.splitSeed();
    double testFraction = spec.testFraction();
    JavaPairRDD<Long, LabeledRow> indexed = rows.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1));
    JavaPairRDD<Long, LabeledRow> trainRows = indexed.filter(t -> !isTest(splitSeed, testFraction, t._1));
    JavaPairRDD<Long, LabeledRow> testRows = indexed.filter(t -> isTest(splitSeed, testFraction, t._1));

    double[] mean = null;
    double[] std = null;
    double[] factor = null;
    if (spec.standardize()) {
      SummarizerBuffer s = summarize(trainRows);
      if (s.count() == 0) throw new DataException(spec.path() + ": no training rows after the split");
      mean = s.mean().toArray();
      std = s.std().toArray();
      factor = new double[d];
      for (int j = 0; j < d; j++) factor[j] = std[j] != 0.0 ? 1.0 / std[j] : 0.0;
    }

    RowPartitioner partitioner = new RowPartitioner(partitions);
    BlockBuilder builder = new BlockBuilder(d, plusMinusOne, mean, factor);
    JavaRDD<DataBlock> train = trainRows.repartitionAndSortWithinPartitions(partitioner)
        .mapPartitions(builder).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DataBlock> test = testRows.repartitionAndSortWithinPartitions(partitioner)
        .mapPartitions(builder).persist(StorageLevel.MEMORY_AND_DISK());
    train.setName("adaspark train blocks");
    test.setName("adaspark test blocks");
    List<long[]> perTrain = blockStats(train);
    long[] tr = totals(perTrain);
    long[] te = totals(blockStats(test));
    long[] partitionRows = perTrain.stream().mapToLong(s -> s[0]).toArray();
    if (tr[0] == 0) throw new DataException(spec.path() + ": no training rows after the split");
    DataFingerprint fp = new DataFingerprint(files.path(), spec.type(), files.bytes(), files.files(),
        stats.rows, String.format("%016x", stats.hash));
    double density = stats.values == 0 ? 0 : (double) stats.nonZeros / stats.values;
    return new PreparedData(train, test, d, classes, partitionRows, tr[0], te[0], partitions, tr[1] + te[1],
        density, coding, mean, std, fp);
  }

  static boolean isTest(long splitSeed, double testFraction, long rowId) {
    return testFraction > 0 && Mix.unit(Mix.mix(0x7e57L, splitSeed, rowId)) < testFraction;
  }

  /** MLlib's Summarizer per input partition, merged in partition order (deterministic). */
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
  private static List<long[]> blockStats(JavaRDD<DataBlock> blocks) {
    return blocks.map(b -> new long[] {b.numRows(), b.sizeInBytes()}).collect();
  }

  private static long[] totals(List<long[]> per) {
    long[] t = new long[2];
    for (long[] p : per) {
      t[0] += p[0];
      t[1] += p[1];
    }
    return t;
  }

  /** Checks the path exists and measures it; a clear error otherwise. */
  static DataFingerprint inspectFiles(Configuration conf, DataSpec spec) {
    try {
      Path p = new Path(spec.path());
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new DataException(spec.path() + ": no such file or directory");
      }
      long bytes = 0;
      long files = 0;
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String n = f.getPath().getName();
            if (n.startsWith(".") || n.startsWith("_")) continue;
            bytes += f.getLen();
            files++;
          }
        } else {
          bytes += m.getLen();
          files++;
        }
      }
      return new DataFingerprint(fs.makeQualified(p).toString(), spec.type(), bytes, files, 0, "");
    } catch (IOException e) {
      throw new DataException(spec.path() + ": cannot list: " + e.getMessage(), e);
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage();
  }

  /** Labels, row count, content hash and non-zeros of the input, in one pass. */
  static final class InputStats implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeSet<Double> labels = new TreeSet<>();
    long rows;
    long hash;
    long nonZeros;
    long values;

    static InputStats of(JavaRDD<LabeledRow> rows, String path) {
      List<InputStats> parts = rows.mapPartitions((Iterator<LabeledRow> it) -> {
        InputStats s = new InputStats();
        while (it.hasNext()) s.add(it.next(), path);
        return List.of(s).iterator();
      }).collect();
      InputStats total = new InputStats();
      for (InputStats s : parts) {
        total.labels.addAll(s.labels);
        total.rows += s.rows;
        total.hash += s.hash;
        total.nonZeros += s.nonZeros;
        total.values += s.values;
        if (total.labels.size() > MAX_CLASSES) {
          throw new DataException(path + ": more than " + MAX_CLASSES + " distinct labels: not a classification dataset");
        }
      }
      return total;
    }

    void add(LabeledRow r, String path) {
      double label = r.label();
      if (!Double.isFinite(label)) throw new DataException(path + ": label " + label + " is not a finite number");
      if (labels.size() <= MAX_CLASSES) labels.add(label);
      long h = Mix.mix64(Double.doubleToLongBits(label));
      Vector v = r.features();
      values += v.size();
      if (v instanceof SparseVector sv) {
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          checkFinite(val[k], path);
          if (val[k] != 0) {
            h = Mix.mix(h, idx[k], Double.doubleToLongBits(val[k]));
            nonZeros++;
          }
        }
      } else {
        double[] val = ((DenseVector) v).values();
        for (int k = 0; k < val.length; k++) {
          checkFinite(val[k], path);
          if (val[k] != 0) {
            h = Mix.mix(h, k, Double.doubleToLongBits(val[k]));
            nonZeros++;
          }
        }
      }
      hash += h;
      rows++;
    }

    private static void checkFinite(double v, String path) {
      if (!Double.isFinite(v)) throw new DataException(path + ": feature value " + v + " is not a finite number");
    }

    List<Double> labelList() {
      return new ArrayList<>(labels);
    }
  }
}
