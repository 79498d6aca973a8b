package io.adaspark.bench;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DataFingerprint;
import io.adaspark.data.DenseBlock;
import io.adaspark.check.Mix;
import io.adaspark.data.PreparedData;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The benchmark's synthetic binary-logistic data, generated on the executors: row i of n is a
 * pure function of (seed, i), so the same rows come out as adaspark blocks, as MLlib's
 * {@code RDD<(label, Vector)>} and as an ml DataFrame, whichever partition computes them.
 *
 * <p>Features: dense rows have d values, sparse rows {@code nnz} values (one per stratum of
 * ⌊d/nnz⌋ consecutive features, so indices are distinct and ascending). Values are uniform on
 * [−√3, √3] (unit variance) rounded to 3 decimals, so that a LIBSVM text copy is short and
 * parses back to exactly the same doubles. Label: y ~ Bernoulli(σ(w*·x)) with a fixed seeded
 * w* of norm about 2. Partition p holds rows [p·n/P, (p+1)·n/P).
 *
 * @param nnz non-zeros per row; 0 means dense
 */
public record Synthetic(long n, int d, int nnz, long seed, int partitions) implements Serializable {

  public Synthetic {
    if (n < partitions || d < 1 || partitions < 1 || nnz < 0 || nnz > d) {
      throw new IllegalArgumentException("synthetic data: n=" + n + " d=" + d + " nnz=" + nnz
          + " partitions=" + partitions);
    }
  }

  public boolean dense() {
    return nnz == 0;
  }

  /** Stored values per row. */
  public int valuesPerRow() {
    return dense() ? d : nnz;
  }

  long start(int p) {
    return p * n / partitions;
  }

  int rows(int p) {
    return (int) (start(p + 1) - start(p));
  }

  public long[] partitionRows() {
    long[] r = new long[partitions];
    for (int p = 0; p < partitions; p++) r[p] = rows(p);
    return r;
  }

  private double value(long row, int l) {
    double u = Mix.unit(Mix.mix(seed, row, l));
    return Math.rint((2 * u - 1) * 1732.0) / 1000.0;
  }

  private double weight(int l) {
    return (2 * Mix.unit(Mix.mix(seed, 0x5eedL, l)) - 1) * Math.sqrt(3.0) * 2.0 / Math.sqrt(valuesPerRow());
  }

  /** Feature index of the k-th stored value of a sparse row. */
  private int index(long row, int k) {
    int stratum = d / nnz;
    return k * stratum + (int) Long.remainderUnsigned(Mix.mix(seed, row, -1L - k), stratum);
  }

  private double label(long row, double z) {
    double p = 1.0 / (1.0 + Math.exp(-z));
    return Mix.unit(Mix.mix(seed, row, 0x1abe1L)) < p ? 1.0 : 0.0;
  }

  /** Fills x (dense: d values) or idx/val (sparse: nnz) for row i and returns its label. */
  double row(long i, double[] x, int[] idx, double[] val, double[] w) {
    double z = 0;
    if (dense()) {
      for (int l = 0; l < d; l++) {
        x[l] = value(i, l);
        z += x[l] * w[l];
      }
    } else {
      for (int k = 0; k < nnz; k++) {
        idx[k] = index(i, k);
        val[k] = value(i, idx[k]);
        z += val[k] * w[idx[k]];
      }
    }
    return label(i, z);
  }

  double[] weights() {
    double[] w = new double[d];
    for (int l = 0; l < d; l++) w[l] = weight(l);
    return w;
  }

  private JavaRDD<Integer> seeds(JavaSparkContext jsc) {
    return jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
  }

  /** adaspark's blocks (one per partition: DenseBlock or CsrBlock), cached and materialized. */
  public JavaRDD<DataBlock> blocks(JavaSparkContext jsc) {
    Synthetic s = this;
    JavaRDD<DataBlock> blocks = seeds(jsc).mapPartitionsWithIndex((p, it) -> {
      int m = s.rows(p);
      long from = s.start(p);
      double[] w = s.weights();
      double[] y = new double[m];
      DataBlock block;
      if (s.dense()) {
        double[] x = new double[Math.multiplyExact(m, s.d)];
        double[] row = new double[s.d];
        for (int i = 0; i < m; i++) {
          y[i] = s.row(from + i, row, null, null, w);
          System.arraycopy(row, 0, x, i * s.d, s.d);
        }
        block = new DenseBlock(m, s.d, x, y);
      } else {
        int[] indptr = new int[m + 1];
        int[] indices = new int[Math.multiplyExact(m, s.nnz)];
        double[] values = new double[m * s.nnz];
        int[] idx = new int[s.nnz];
        double[] val = new double[s.nnz];
        for (int i = 0; i < m; i++) {
          y[i] = s.row(from + i, null, idx, val, w);
          System.arraycopy(idx, 0, indices, i * s.nnz, s.nnz);
          System.arraycopy(val, 0, values, i * s.nnz, s.nnz);
          indptr[i + 1] = (i + 1) * s.nnz;
        }
        block = new CsrBlock(m, s.d, indptr, indices, values, y);
      }
      return List.of(block).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
    blocks.setName("bench blocks n=" + n + " d=" + d);
    blocks.count();
    return blocks;
  }

  /** The blocks as {@link PreparedData} for the {@code Trainer}: all rows train, no test rows. */
  public PreparedData prepared(JavaSparkContext jsc, JavaRDD<DataBlock> blocks) {
    long bytes = blocks.map(DataBlock::sizeInBytes).reduce(Long::sum);
    DataFingerprint fp = new DataFingerprint("synthetic:" + this, "synthetic", 0, 0, n, "");
    return new PreparedData(blocks, jsc.emptyRDD(), d, 2, partitionRows(), n, 0, partitions, bytes,
        dense() ? 1.0 : (double) nnz / d, "as given (0..1)", null, null, fp, dense() ? "dense" : "sparse",
        java.util.Map.of());
  }

  /** The same rows as MLlib's {@code (label, features)} pairs, cached and materialized. */
  public JavaRDD<Tuple2<Object, Vector>> mllib(JavaSparkContext jsc) {
    Synthetic s = this;
    JavaRDD<Tuple2<Object, Vector>> rdd = seeds(jsc).mapPartitionsWithIndex(
        (p, it) -> s.rowIterator(p), true).persist(StorageLevel.MEMORY_AND_DISK());
    rdd.setName("bench mllib rows n=" + n + " d=" + d);
    rdd.count();
    return rdd;
  }

  /** The same rows as an ml DataFrame ({@code label}, {@code features}), cached and materialized. */
  public Dataset<Row> ml(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Synthetic s = this;
    JavaRDD<Row> rows = seeds(jsc).mapPartitionsWithIndex((p, it) -> {
      Iterator<Tuple2<Object, Vector>> r = s.rowIterator(p);
      return new Iterator<Row>() {
        @Override public boolean hasNext() {
          return r.hasNext();
        }

        @Override public Row next() {
          Tuple2<Object, Vector> t = r.next();
          return RowFactory.create(t._1(), t._2().asML());
        }
      };
    }, true);
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false);
    Dataset<Row> df = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    return df;
  }

  private Iterator<Tuple2<Object, Vector>> rowIterator(int p) {
    int m = rows(p);
    long from = start(p);
    double[] w = weights();
    return new Iterator<>() {
      int i = 0;

      @Override public boolean hasNext() {
        return i < m;
      }

      @Override public Tuple2<Object, Vector> next() {
        if (i >= m) throw new NoSuchElementException();
        long r = from + i++;
        if (dense()) {
          double[] x = new double[d];
          double y = row(r, x, null, null, w);
          return new Tuple2<>(y, Vectors.dense(x));
        }
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        double y = row(r, null, idx, val, w);
        return new Tuple2<>(y, Vectors.sparse(d, idx, val));
      }
    };
  }

  /** Human-readable size: "n=1000000 d=100 dense". */
  @Override
  public String toString() {
    return "n=" + n + " d=" + d + (dense() ? " dense" : " nnz/row=" + nnz) + " seed=" + seed
        + " partitions=" + partitions;
  }
}
