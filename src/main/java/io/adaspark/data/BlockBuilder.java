package io.adaspark.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import scala.Tuple2;

/**
 * Turns the sorted rows of one partition into one block, standardized on the way in: a
 * {@link DenseBlock} (contiguous row-major features and labels) or a {@link CsrBlock} (only the
 * non-zeros; rows are never densified). Runs once per partition when the blocks are
 * (re)computed; every later step reads the cached block. The arrays grow by doubling and are
 * trimmed to their exact size at the end, so a cached block holds exactly n·(d+1) doubles
 * (dense) or 4·(n+1) + 12·nnz + 8·n bytes (CSR).
 */
final class BlockBuilder implements FlatMapFunction<Iterator<Tuple2<Long, LabeledRow>>, DataBlock> {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final boolean sparse;
  private final double[] mean;
  private final double[] factor;

  /**
   * @param sparse build CSR blocks (then {@code mean} must be null: centring would densify)
   * @param mean subtracted from each feature, or null
   * @param factor multiplies each (centred) feature, or null (MLlib StandardScaler's 1/std,
   *     0 where std is 0)
   */
  BlockBuilder(int d, boolean sparse, double[] mean, double[] factor) {
    if (sparse && mean != null) throw new IllegalArgumentException("CSR blocks are scaled, never centred");
    this.d = d;
    this.sparse = sparse;
    this.mean = mean;
    this.factor = factor;
  }

  @Override
  public Iterator<DataBlock> call(Iterator<Tuple2<Long, LabeledRow>> rows) {
    return List.of(sparse ? csr(rows) : dense(rows)).iterator();
  }

  private DataBlock dense(Iterator<Tuple2<Long, LabeledRow>> rows) {
    Dense b = new Dense(d);
    while (rows.hasNext()) {
      LabeledRow r = rows.next()._2;
      double[] x = b.next(r.label());
      int off = (b.n - 1) * d;
      Vector v = r.features();
      if (v instanceof SparseVector sv) {
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) x[off + idx[k]] = val[k];
      } else {
        System.arraycopy(((DenseVector) v).values(), 0, x, off, d);
      }
      standardize(x, off);
    }
    return b.build();
  }

  void standardize(double[] x, int off) {
    if (mean == null && factor == null) return;
    for (int j = 0; j < d; j++) {
      double val = x[off + j];
      if (mean != null) val -= mean[j];
      if (factor != null) val *= factor[j];
      x[off + j] = val;
    }
  }

  private DataBlock csr(Iterator<Tuple2<Long, LabeledRow>> rows) {
    Csr b = new Csr(d);
    while (rows.hasNext()) {
      LabeledRow r = rows.next()._2;
      Vector v = r.features();
      if (v instanceof SparseVector sv) {
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) b.add(idx[k], scale(idx[k], val[k]));
      } else {
        double[] val = ((DenseVector) v).values();
        for (int j = 0; j < val.length; j++) b.add(j, scale(j, val[j]));
      }
      b.endRow(r.label());
    }
    return b.build();
  }

  double scale(int j, double v) {
    return factor == null ? v : v * factor[j];
  }

  /** Appends dense rows; row i at x[i*d .. i*d+d). */
  static final class Dense {
    final int d;
    double[] x;
    double[] y = new double[64];
    int n;

    Dense(int d) {
      this.d = d;
      this.x = new double[(int) Math.min(Integer.MAX_VALUE - 16L, Math.max(16L, 64L * d))];
    }

    /** Starts a row with this label; returns the array to write its d values into at (n-1)·d. */
    double[] next(double label) {
      if ((long) (n + 1) * d > Integer.MAX_VALUE - 16) {
        throw new DataException("a partition holds more than " + n + " rows of " + d
            + " features (over 2^31 values): raise training.partitions");
      }
      if ((n + 1) * d > x.length) {
        x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max((long) (n + 1) * d, 2L * x.length)));
      }
      if (n == y.length) y = Arrays.copyOf(y, 2 * y.length);
      y[n++] = label;
      return x;
    }

    DenseBlock build() {
      return new DenseBlock(n, d, x.length == n * d ? x : Arrays.copyOf(x, n * d), Arrays.copyOf(y, n));
    }
  }

  /** Appends CSR rows (zeros dropped). */
  static final class Csr {
    final int d;
    int[] indptr = new int[65];
    int[] indices = new int[256];
    double[] values = new double[256];
    double[] y = new double[64];
    int n;
    int nnz;

    Csr(int d) {
      this.d = d;
    }

    void add(int j, double v) {
      if (v == 0) return;
      if (nnz == indices.length) {
        if (nnz > Integer.MAX_VALUE / 2 - 16) {
          throw new DataException("a partition holds over 2^30 non-zeros: raise training.partitions");
        }
        indices = Arrays.copyOf(indices, 2 * nnz);
        values = Arrays.copyOf(values, 2 * nnz);
      }
      indices[nnz] = j;
      values[nnz++] = v;
    }

    void endRow(double label) {
      if (n + 1 == indptr.length) indptr = Arrays.copyOf(indptr, 2 * indptr.length);
      if (n == y.length) y = Arrays.copyOf(y, 2 * y.length);
      y[n++] = label;
      indptr[n] = nnz;
    }

    CsrBlock build() {
      return new CsrBlock(n, d, Arrays.copyOf(indptr, n + 1), Arrays.copyOf(indices, nnz),
          Arrays.copyOf(values, nnz), Arrays.copyOf(y, n));
    }
  }
}
