package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good inputs: formats agree, identities do not depend on splits, standardization, memory, sparse. */
class DataLoadingTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static List<DataBlock> blocks(PreparedData d, boolean train) {
    List<DataBlock> b = (train ? d.train() : d.test()).collect();
    return b;
  }

  static void assertSameBlocks(PreparedData a, PreparedData b) {
    for (boolean train : new boolean[] {true, false}) {
      List<DataBlock> x = blocks(a, train);
      List<DataBlock> y = blocks(b, train);
      assertEquals(x.size(), y.size());
      for (int p = 0; p < x.size(); p++) {
        DenseBlock u = (DenseBlock) x.get(p);
        DenseBlock v = (DenseBlock) y.get(p);
        assertArrayEquals(u.x(), v.x(), "partition " + p);
        assertArrayEquals(u.y(), v.y(), "partition " + p);
      }
    }
    assertEquals(a.fingerprint().hash(), b.fingerprint().hash());
    assertEquals(a.labelCoding(), b.labelCoding());
  }

  @Test
  void crlfCommentsBlankLinesAndNoFinalNewlineAreAccepted() {
    Path good = TestSpark.basedir().resolve("src/test/resources/good");
    PreparedData l = DatasetLoader.load(spark, LibsvmSpec.of(good.resolve("crlf_comments_no_final_newline.libsvm").toString(),
        null, 0.0, null, false, null), 2);
    PreparedData c = DatasetLoader.load(spark, CsvSpec.of(good.resolve("crlf_comments_no_final_newline.csv").toString(),
        null, null, 0.0, null, false, null), 2);
    try {
      assertEquals(3, l.trainRows());
      assertEquals(2, l.numFeatures());
      assertEquals(2, c.trainRows());
      assertEquals(2, c.numFeatures());
      double sum = 0;
      for (DataBlock b : blocks(l, true)) for (double v : ((DenseBlock) b).x()) sum += v;
      assertEquals(0.5 + 1 + 1 + 2 + 3, sum);
    } finally {
      l.unpersist();
      c.unpersist();
    }
  }

  /** The same rows as LIBSVM, CSV and Parquet give identical blocks (standardized, split). */
  @Test
  void libsvmCsvAndParquetGiveIdenticalBlocks(@TempDir Path tmp) {
    String pq = tmp.resolve("wine.parquet").toString();
    spark.read().option("header", "true").option("inferSchema", "true").csv(TestSpark.data("wine.csv").toString())
        .coalesce(1).write().parquet(pq);
    PreparedData l = DatasetLoader.load(spark, LibsvmSpec.of(TestSpark.data("wine.libsvm").toString(), 13, 0.3, 5L,
        true, null), 3);
    PreparedData c = DatasetLoader.load(spark, CsvSpec.of(TestSpark.data("wine.csv").toString(), null, null, 0.3, 5L,
        true, null), 3);
    java.util.Set<Object> before = BadInputTest.persisted(spark);
    PreparedData p = DatasetLoader.load(spark, ParquetSpec.of(pq, null, null, null, null, 0.3, 5L, true, null), 3);
    try {
      // What stays cached is the train and test blocks: the loader's decoded chunks are dropped.
      java.util.Set<Object> added = BadInputTest.persisted(spark);
      added.removeAll(before);
      assertEquals(new java.util.TreeSet<>(List.of(p.train().id(), p.test().id())), added);
      assertEquals(178, l.trainRows() + l.testRows());
      assertEquals(3, l.numClasses());
      assertSameBlocks(l, c);
      assertSameBlocks(l, p);
    } finally {
      l.unpersist();
      c.unpersist();
      p.unpersist();
    }
  }

  /** Many small input splits (as on a cluster with other settings) give the very same blocks. */
  @Test
  void blocksDoNotDependOnInputSplits() {
    var conf = spark.sparkContext().hadoopConfiguration();
    DataSpec spec = LibsvmSpec.of(TestSpark.data("digits.libsvm").toString(), 64, 0.25, 3L, true, null);
    PreparedData one = DatasetLoader.load(spark, spec, 3);
    PreparedData many;
    conf.set("mapreduce.input.fileinputformat.split.maxsize", "20000");
    try {
      many = DatasetLoader.load(spark, spec, 3);
    } finally {
      conf.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
    try {
      assertTrue(spark.sparkContext().textFile(TestSpark.data("digits.libsvm").toString(), 1).getNumPartitions() < 3);
      assertSameBlocks(one, many);
      assertArrayEquals(one.mean(), many.mean());
      assertArrayEquals(one.partitionRows(), many.partitionRows());
    } finally {
      one.unpersist();
      many.unpersist();
    }
  }

  /** Standardization equals MLlib's StandardScaler fit on the same training rows, block by block. */
  @Test
  void standardizationEqualsMllibStandardScaler() throws IOException {
    int d = 30;
    long seed = 7;
    double tf = 0.2;
    int partitions = 4;
    PreparedData data = DatasetLoader.load(spark, LibsvmSpec.of(TestSpark.data("breast_cancer.libsvm").toString(), d,
        tf, seed, true, null), partitions);
    try {
      List<Row> train = new ArrayList<>();
      long id = 0;
      for (String line : Files.readAllLines(TestSpark.data("breast_cancer.libsvm"))) {
        String[] parts = line.trim().split(" ");
        double[] x = new double[d];
        for (int i = 1; i < parts.length; i++) {
          String[] kv = parts[i].split(":");
          x[Integer.parseInt(kv[0]) - 1] = Double.parseDouble(kv[1]);
        }
        if (!DatasetLoader.isTest(seed, tf, id)) train.add(RowFactory.create(id, Double.parseDouble(parts[0]), Vectors.dense(x)));
        id++;
      }
      StructType schema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.DoubleType)
          .add("features", new VectorUDT());
      Dataset<Row> df = spark.createDataFrame(train, schema);
      StandardScalerModel m = new StandardScaler().setWithMean(true).setWithStd(true).setInputCol("features")
          .setOutputCol("scaled").fit(df);
      double[] mean = m.mean().toArray();
      double[] std = m.std().toArray();
      for (int j = 0; j < d; j++) {
        assertEquals(mean[j], data.mean()[j], 1e-12 * Math.abs(mean[j]), "mean " + j);
        assertEquals(std[j], data.std()[j], 1e-12 * std[j], "std " + j);
      }
      // Expected blocks: rows by RowPartitioner, in identity order, values from StandardScalerModel.
      RowPartitioner rp = new RowPartitioner(partitions);
      Map<Integer, TreeMap<Long, double[]>> expected = new HashMap<>();
      for (Row r : m.transform(df).collectAsList()) {
        long rid = r.getLong(0);
        double[] v = ((Vector) r.getAs("scaled")).toArray();
        double[] withLabel = Arrays.copyOf(v, d + 1);
        withLabel[d] = r.getDouble(1);
        expected.computeIfAbsent(rp.getPartition(rid), k -> new TreeMap<>()).put(rid, withLabel);
      }
      List<DataBlock> blocks = blocks(data, true);
      for (int p = 0; p < partitions; p++) {
        DenseBlock b = (DenseBlock) blocks.get(p);
        List<double[]> rows = new ArrayList<>(expected.get(p).values());
        assertEquals(rows.size(), b.numRows());
        for (int i = 0; i < rows.size(); i++) {
          for (int j = 0; j < d; j++) {
            assertEquals(rows.get(i)[j], b.x()[i * d + j], 1e-12 * Math.max(1, Math.abs(rows.get(i)[j])));
          }
          assertEquals(rows.get(i)[d], b.y()[i]);
        }
      }
    } finally {
      data.unpersist();
    }
  }

  /** Dense blocks hold features and labels and nothing else of size. */
  @Test
  void denseCachedBytesWithinBound() {
    PreparedData data = DatasetLoader.load(spark, LibsvmSpec.of(TestSpark.data("digits.libsvm").toString(), 64, 0.2, 1L,
        true, null), 4);
    try {
      long n = data.trainRows() + data.testRows();
      int d = data.numFeatures();
      assertEquals("dense", data.layout());
      assertEquals(1797, n);
      double raw = 8.0 * n * d;
      assertTrue(data.cachedBytes() <= 1.02 * (d + 1.0) / d * raw, data.cachedBytes() + " vs " + raw);
      assertEquals(8L * n * (d + 1), data.cachedBytes());
      // Spark's own measure of the cached train RDD agrees (object headers only on top).
      long sparkBytes = Arrays.stream(spark.sparkContext().getRDDStorageInfo())
          .filter(i -> i.id() == data.train().id()).mapToLong(i -> i.memSize()).sum();
      long trainBytes = 8L * data.trainRows() * (d + 1);
      assertTrue(sparkBytes > 0 && sparkBytes <= 1.02 * trainBytes, sparkBytes + " vs " + trainBytes);
    } finally {
      data.unpersist();
    }
  }

  /** d = 200000 with about 20 non-zeros per row: CSR blocks, scaled not centred, never dense. */
  @Test
  void wideSparseLibsvmLoadsAsCsr(@TempDir Path tmp) throws IOException {
    int d = 200_000;
    int n = 3000;
    StringBuilder sb = new StringBuilder();
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    long nnz = 0;
    for (int i = 0; i < n; i++) {
      sb.append(i % 2);
      int[] idx = r.ints(20, 1, d + 1).sorted().distinct().toArray();
      for (int j : idx) sb.append(' ').append(j).append(':').append(1 + r.nextInt(9));
      nnz += idx.length;
      sb.append('\n');
    }
    Path f = tmp.resolve("wide.libsvm");
    Files.writeString(f, sb);
    PreparedData data = DatasetLoader.load(spark, LibsvmSpec.of(f.toString(), d, 0.2, 1L, true, null), 3);
    try {
      assertEquals("sparse", data.layout());
      assertNull(data.mean(), "CSR blocks are never centred");
      assertEquals((double) nnz / ((double) n * d), data.density(), 1e-15);
      long stored = 0;
      for (DataBlock b : blocks(data, true)) stored += assertInstanceOf(CsrBlock.class, b).nnz();
      for (DataBlock b : blocks(data, false)) stored += assertInstanceOf(CsrBlock.class, b).nnz();
      assertTrue(stored <= nnz);
      assertTrue(data.cachedBytes() < 20L * nnz + 12L * n, "cached " + data.cachedBytes());
    } finally {
      data.unpersist();
    }
  }

  @Test
  void stringLabelsAreIndexedInSortedOrder() {
    Path f = TestSpark.basedir().resolve("src/test/resources/good/string_labels.csv");
    PreparedData data = DatasetLoader.load(spark, CsvSpec.of(f.toString(), "species", "string", 0.0, null, false, null), 1);
    try {
      assertEquals(3, data.numClasses());
      assertEquals("strings in sorted order: \"setosa\" -> 0, \"versicolor\" -> 1, \"virginica\" -> 2", data.labelCoding());
      DenseBlock b = (DenseBlock) blocks(data, true).get(0);
      // One partition: rows in file order.
      assertArrayEquals(new double[] {0, 2, 1, 0, 2}, b.y());
      assertArrayEquals(new double[] {5.1, 3.5}, Arrays.copyOf(b.x(), 2));
    } finally {
      data.unpersist();
    }
  }

  @Test
  void plusMinusOneLabelsBecomeZeroOne(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("pm.libsvm");
    Files.writeString(f, "+1 1:1\n-1 1:2\n1 2:3\n");
    PreparedData data = DatasetLoader.load(spark, LibsvmSpec.of(f.toString(), null, 0.0, null, false, null), 1);
    try {
      assertEquals("-1 -> 0, +1 -> 1", data.labelCoding());
      assertArrayEquals(new double[] {1, 0, 1}, ((DenseBlock) blocks(data, true).get(0)).y());
      assertNotEquals(0, data.numFeatures());
    } finally {
      data.unpersist();
    }
  }
}
