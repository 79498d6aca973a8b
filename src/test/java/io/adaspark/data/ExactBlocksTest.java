package io.adaspark.data;

import io.adaspark.check.Mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's blocks, bit for bit, against a plain driver-side computation of what they must
 * be: rows in identity order, split by {@code isTest}, partitioned by {@link RowPartitioner},
 * in identity order inside a partition; standardization from MLlib's summarizer per training
 * partition merged in partition order; dense blocks centred and scaled, CSR blocks scaled
 * (zeros dropped); labels coded; the content hash. Inputs with many input splits, several
 * files (one empty), mixed dense and sparse vectors, explicit zeros and −0.0.
 */
class ExactBlocksTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  /** One input row: raw label (number or string) and the vector the row is. */
  record In(double label, String stringLabel, Vector v) {}

  /** The expected blocks (train, then test) and statistics of these rows, computed on the driver. */
  static final class Expected {
    final List<DataBlock> train = new ArrayList<>();
    final List<DataBlock> test = new ArrayList<>();
    double[] mean;
    double[] std;
    long hash;

    Expected(List<In> rows, Function<In, Double> coding, int d, int parts, long seed, double tf, boolean standardize,
             boolean sparse) {
      RowPartitioner rp = new RowPartitioner(parts);
      List<List<Long>> train = new ArrayList<>();
      List<List<Long>> test = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        train.add(new ArrayList<>());
        test.add(new ArrayList<>());
      }
      for (long id = 0; id < rows.size(); id++) {
        (DatasetLoader.isTest(seed, tf, id) ? test : train).get(rp.getPartition(id)).add(id);
        In r = rows.get((int) id);
        long h = r.stringLabel != null ? Mix.mix64(r.stringLabel.hashCode()) : Mix.mix64(Double.doubleToLongBits(r.label));
        double[] x = r.v.toArray();
        // the documented hash, written out: Σ over the non-zeros of mix64(bits(v) ^ mix64(j + φ)),
        // mixed with the label's hash, summed over the rows
        long cells = 0;
        for (int j = 0; j < x.length; j++) {
          if (x[j] != 0) cells += Mix.mix64(Double.doubleToLongBits(x[j]) ^ Mix.mix64(j + 0x9e3779b97f4a7c15L));
        }
        hash += Mix.mix64(h ^ Mix.mix64(cells + 0x9e3779b97f4a7c15L));
      }
      double[] factor = null;
      if (standardize) {
        SummarizerBuffer total = DatasetLoader.newBuffer();
        for (List<Long> ids : train) {
          SummarizerBuffer b = DatasetLoader.newBuffer();
          for (long id : ids) b.add(rows.get((int) id).v);
          total = total.merge(b);
        }
        std = total.std().toArray();
        factor = new double[d];
        for (int j = 0; j < d; j++) factor[j] = std[j] != 0.0 ? 1.0 / std[j] : 0.0;
        if (!sparse) mean = total.mean().toArray();
      }
      for (int p = 0; p < parts; p++) {
        this.train.add(block(rows, train.get(p), coding, d, sparse, factor));
        this.test.add(block(rows, test.get(p), coding, d, sparse, factor));
      }
    }

    private DataBlock block(List<In> rows, List<Long> ids, Function<In, Double> coding, int d, boolean sparse,
                            double[] factor) {
      int n = ids.size();
      double[] y = new double[n];
      if (!sparse) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
          In r = rows.get((int) (long) ids.get(i));
          y[i] = coding.apply(r);
          if (r.v instanceof SparseVector sv) {
            for (int k = 0; k < sv.indices().length; k++) if (sv.values()[k] != 0) x[i * d + sv.indices()[k]] = sv.values()[k];
          } else {
            System.arraycopy(((DenseVector) r.v).values(), 0, x, i * d, d);
          }
          for (int j = 0; j < d; j++) {
            double v = x[i * d + j];
            if (mean != null) v -= mean[j];
            if (factor != null) v *= factor[j];
            x[i * d + j] = v;
          }
        }
        return new DenseBlock(n, d, x, y);
      }
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      int[] ptr = new int[n + 1];
      for (int i = 0; i < n; i++) {
        In r = rows.get((int) (long) ids.get(i));
        y[i] = coding.apply(r);
        int[] is;
        double[] vs;
        if (r.v instanceof SparseVector sv) {
          is = sv.indices();
          vs = sv.values();
        } else {
          vs = ((DenseVector) r.v).values();
          is = new int[vs.length];
          for (int j = 0; j < is.length; j++) is[j] = j;
        }
        for (int k = 0; k < is.length; k++) {
          double v = factor == null ? vs[k] : vs[k] * factor[is[k]];
          if (v != 0) {
            idx.add(is[k]);
            val.add(v);
          }
        }
        ptr[i + 1] = idx.size();
      }
      return new CsrBlock(n, d, ptr, idx.stream().mapToInt(Integer::intValue).toArray(),
          val.stream().mapToDouble(Double::doubleValue).toArray(), y);
    }

    void assertMatches(PreparedData data) {
      for (boolean isTrain : new boolean[] {true, false}) {
        List<DataBlock> want = isTrain ? train : test;
        List<DataBlock> got = (isTrain ? data.train() : data.test()).collect();
        assertEquals(want.size(), got.size());
        for (int p = 0; p < want.size(); p++) {
          String where = (isTrain ? "train" : "test") + " partition " + p;
          if (want.get(p) instanceof DenseBlock w) {
            DenseBlock g = (DenseBlock) got.get(p);
            assertArrayEquals(w.x(), g.x(), where);
            assertArrayEquals(w.y(), g.y(), where);
          } else {
            CsrBlock w = (CsrBlock) want.get(p);
            CsrBlock g = (CsrBlock) got.get(p);
            assertArrayEquals(w.indptr(), g.indptr(), where);
            assertArrayEquals(w.indices(), g.indices(), where);
            assertArrayEquals(w.values(), g.values(), where);
            assertArrayEquals(w.y(), g.y(), where);
          }
        }
      }
      long[] rows = new long[want().size()];
      for (int p = 0; p < rows.length; p++) rows[p] = want().get(p).numRows();
      assertArrayEquals(rows, data.partitionRows());
      if (mean == null) assertNull(data.mean());
      else assertArrayEquals(mean, data.mean());
      if (std == null) assertNull(data.std());
      else assertArrayEquals(std, data.std());
      assertEquals(String.format("%016x", hash), data.fingerprint().hash());
    }

    private List<DataBlock> want() { return train; }
  }

  /** A value: often 0 or −0.0, else a random number. */
  static double value(SplittableRandom r) {
    double u = r.nextDouble();
    return u < 0.25 ? 0.0 : u < 0.3 ? -0.0 : Math.round(r.nextGaussian() * 1e6) / 1e3;
  }

  /** LIBSVM and CSV with many small input splits, dense and sparse layouts, ±1 and string labels. */
  @Test
  void textBlocksAreExact(@TempDir Path tmp) throws IOException {
    int d = 7;
    int n = 900;
    SplittableRandom r = new SplittableRandom(11);
    List<In> rows = new ArrayList<>();
    StringBuilder libsvm = new StringBuilder("# comment\n");
    StringBuilder csv = new StringBuilder("a,b,c,species,d,e,f,g\n");
    String[] names = {"virginica", "setosa", "versicolor"};
    List<In> csvRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double label = r.nextBoolean() ? 1 : -1;
      double[] x = new double[d];
      libsvm.append(label > 0 ? "+1" : "-1");
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        x[j] = value(r);
        if (x[j] != 0 || r.nextInt(4) == 0) libsvm.append(' ').append(j + 1).append(':').append(x[j]);
        if (x[j] != 0) {
          idx.add(j);
          val.add(x[j]);
        }
      }
      libsvm.append(i % 50 == 0 ? "\r\n\n" : "\n");
      rows.add(new In(label, null, new SparseVector(d, idx.stream().mapToInt(Integer::intValue).toArray(),
          val.stream().mapToDouble(Double::doubleValue).toArray())));
      String s = names[r.nextInt(3)];
      for (int j = 0; j < d; j++) {
        if (j == 3) csv.append(s).append(',');
        csv.append(x[j]).append(j + 1 < d ? "," : "\n");
      }
      csvRows.add(new In(Double.NaN, s, new DenseVector(x.clone())));
    }
    Path lf = tmp.resolve("rows.libsvm");
    Path cf = tmp.resolve("rows.csv");
    Files.writeString(lf, libsvm);
    Files.writeString(cf, csv);
    List<String> sorted = new ArrayList<>(new TreeSet<>(List.of(names)));
    var conf = spark.sparkContext().hadoopConfiguration();
    conf.set("mapreduce.input.fileinputformat.split.maxsize", "3000");
    try {
      for (String layout : new String[] {"dense", "sparse"}) {
        PreparedData l = DatasetLoader.load(spark, LibsvmSpec.of(lf.toString(), null, 0.3, 5L, true, layout), 3);
        PreparedData c = DatasetLoader.load(spark, CsvSpec.of(cf.toString(), "species", "string", 0.25, 9L, true, layout), 2);
        try {
          new Expected(rows, in -> in.label < 0 ? 0.0 : 1.0, d, 3, 5L, 0.3, true, layout.equals("sparse"))
              .assertMatches(l);
          new Expected(csvRows, in -> (double) sorted.indexOf(in.stringLabel), d, 2, 9L, 0.25, true,
              layout.equals("sparse")).assertMatches(c);
        } finally {
          l.unpersist();
          c.unpersist();
        }
      }
    } finally {
      conf.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  /**
   * Parquet: three files (the middle one empty), many row groups and input splits, an MLlib
   * vector column mixing dense and sparse rows (explicit zeros and −0.0 in both).
   */
  @Test
  void parquetBlocksAreExact(@TempDir Path tmp) throws IOException {
    int d = 6;
    SplittableRandom r = new SplittableRandom(5);
    StructType schema = new StructType().add("label", DataTypes.FloatType).add("features", new VectorUDT());
    List<In> all = new ArrayList<>();
    Path dir = tmp.resolve("in");
    Files.createDirectories(dir);
    int[] sizes = {700, 0, 1100};
    for (int f = 0; f < sizes.length; f++) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < sizes[f]; i++) {
        float label = r.nextInt(3);
        double[] x = new double[d];
        for (int j = 0; j < d; j++) x[j] = value(r);
        Vector v;
        if (r.nextBoolean()) {
          v = Vectors.dense(x);
        } else {
          List<Integer> idx = new ArrayList<>();
          for (int j = 0; j < d; j++) if (x[j] != 0 || r.nextInt(3) == 0) idx.add(j);
          v = Vectors.sparse(d, idx.stream().mapToInt(Integer::intValue).toArray(),
              idx.stream().mapToDouble(j -> x[j]).toArray());
        }
        rows.add(RowFactory.create(label, v));
        // What the row was to the loader: dense as is; sparse without its zeros.
        Vector seen = v;
        if (v instanceof SparseVector sv) {
          List<Integer> idx = new ArrayList<>();
          List<Double> val = new ArrayList<>();
          for (int k = 0; k < sv.indices().length; k++) {
            if (sv.values()[k] != 0) {
              idx.add(sv.indices()[k]);
              val.add(sv.values()[k]);
            }
          }
          seen = new SparseVector(d, idx.stream().mapToInt(Integer::intValue).toArray(),
              val.stream().mapToDouble(Double::doubleValue).toArray());
        }
        all.add(new In(label, null, seen));
      }
      Path out = tmp.resolve("w" + f);
      spark.createDataFrame(rows, schema).coalesce(1).write().option("parquet.block.size", "4096")
          .parquet(out.toString());
      try (var files = Files.list(out)) {
        for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
          Files.move(p, dir.resolve("part-" + f + ".parquet"));
        }
      }
    }
    spark.conf().set("spark.sql.files.maxPartitionBytes", "6000");
    spark.conf().set("spark.sql.files.openCostInBytes", "100");
    try {
      // Both of the loader's ways to read Parquet: the scan's column batches (vectorized reader),
      // and Spark's rows (the fallback, e.g. where a column needs a cast).
      for (boolean vectorized : new boolean[] {true, false}) {
        spark.conf().set("spark.sql.parquet.enableVectorizedReader", Boolean.toString(vectorized));
        ParquetSpec any = ParquetSpec.of(dir.toString(), null, null, null, null, 0.2, 3L, true, "dense");
        ParquetSource source = ParquetSource.of(spark, any);
        source.scan();
        assertEquals(vectorized, source.readsColumnar());
        for (String layout : new String[] {"dense", "sparse"}) {
          for (boolean standardize : new boolean[] {true, false}) {
            PreparedData p = DatasetLoader.load(spark, ParquetSpec.of(dir.toString(), null, null, null, null, 0.2, 3L,
                standardize, layout), 3);
            try {
              assertEquals(all.size(), p.trainRows() + p.testRows());
              new Expected(all, in -> in.label, d, 3, 3L, 0.2, standardize, layout.equals("sparse")).assertMatches(p);
            } finally {
              p.unpersist();
            }
          }
        }
      }
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }
}
