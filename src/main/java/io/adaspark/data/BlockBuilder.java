package io.adaspark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

/**
 * Turns the rows of one partition into one block, standardized on the way in: a
 * {@link DenseBlock} (contiguous row-major features and labels) or a {@link CsrBlock} (only the
 * non-zeros; rows are never densified). The partition's input is the loader's shuffle output:
 * {@link Chunk}s of raw rows, merged into identity order here (no per-row objects), their labels
 * coded by the {@link LabelCoding}. Runs once per partition when the blocks are (re)computed;
 * every later step reads the cached block. The block's arrays are allocated at their final
 * size (the chunks say how many rows and values there are), so a cached block holds exactly
 * n·(d+1) doubles (dense) or 4·(n+1) + 12·nnz + 8·n bytes (CSR).
 */
final class BlockBuilder implements FlatMapFunction<Iterator<List<Chunk>>, DataBlock> {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final boolean sparse;
  private final double[] mean;
  private final double[] factor;
  private final LabelCoding coding;

  /**
   * @param sparse build CSR blocks (then {@code mean} must be null: centring would densify)
   * @param mean subtracted from each feature, or null
   * @param factor multiplies each (centred) feature, or null (MLlib StandardScaler's 1/std,
   *     0 where std is 0)
   * @param coding input labels to class indices
   */
  BlockBuilder(int d, boolean sparse, double[] mean, double[] factor, LabelCoding coding) {
    if (sparse && mean != null) throw new IllegalArgumentException("CSR blocks are scaled, never centred");
    this.d = d;
    this.sparse = sparse;
    this.mean = mean;
    this.factor = factor;
    this.coding = coding;
  }

  @Override
  public Iterator<DataBlock> call(Iterator<List<Chunk>> chunks) {
    Chunk.Merge rows = new Chunk.Merge(chunks.next());
    return List.of(sparse ? csr(rows) : dense(rows)).iterator();
  }

  /** A partition's chunks. */
  static List<Chunk> decode(Iterator<Tuple2<Integer, byte[]>> chunks) {
    List<Chunk> list = new ArrayList<>();
    while (chunks.hasNext()) list.add(Chunk.decode(chunks.next()._2));
    return list;
  }

  private double label(Chunk c, int row) {
    return c.strings != null ? coding.of(c.strings[row]) : coding.of(c.labels[row]);
  }

  private DataBlock dense(Chunk.Merge rows) {
    Dense b = new Dense(d, rows.rows);
    while (rows.next()) {
      Chunk c = rows.chunk;
      int r = rows.row;
      double[] x = b.next(label(c, r));
      int off = (b.n - 1) * d;
      int a = c.start(r);
      if (c.ptr == null) {
        if (c.size != d) throw new IllegalStateException("a dense row of " + c.size + " values, d = " + d);
        System.arraycopy(c.vals, a, x, off, d);
      } else {
        int e = c.end(r);
        for (int k = a; k < e; k++) x[off + c.idx[k]] = c.vals[k];
      }
      standardize(x, off);
    }
    return b.build();
  }

  /** {@code x_j = (x_j - mean_j) · factor_j} (each part only if given); one loop per case, so each vectorizes. */
  void standardize(double[] x, int off) {
    double[] m = mean;
    double[] f = factor;
    if (m != null && f != null) {
      for (int j = 0; j < d; j++) x[off + j] = (x[off + j] - m[j]) * f[j];
    } else if (m != null) {
      for (int j = 0; j < d; j++) x[off + j] = x[off + j] - m[j];
    } else if (f != null) {
      for (int j = 0; j < d; j++) x[off + j] = x[off + j] * f[j];
    }
  }

  private DataBlock csr(Chunk.Merge rows) {
    Csr b = new Csr(d, rows.rows, rows.values);
    while (rows.next()) {
      Chunk c = rows.chunk;
      int r = rows.row;
      int a = c.start(r);
      int e = c.end(r);
      for (int k = a; k < e; k++) {
        int j = c.index(k, a);
        b.add(j, scale(j, c.vals[k]));
      }
      b.endRow(label(c, r));
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
    double[] y;
    int n;

    /** Room for this many rows from the start (more still fit). */
    Dense(int d, long rows) {
      this.d = d;
      this.x = new double[(int) Math.min(Integer.MAX_VALUE - 16L, Math.max(16L, Math.max(1, rows) * d))];
      this.y = new double[(int) Math.min(Integer.MAX_VALUE - 16L, Math.max(64L, rows))];
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
    int[] indptr;
    int[] indices;
    double[] values;
    double[] y;
    int n;
    int nnz;

    /** Room for this many rows and non-zeros from the start (more still fit). */
    Csr(int d, long rows, long nonZeros) {
      this.d = d;
      int r = (int) Math.min(Integer.MAX_VALUE / 2 - 16L, Math.max(64L, rows));
      int v = (int) Math.min(Integer.MAX_VALUE / 2 - 16L, Math.max(256L, nonZeros));
      indptr = new int[r + 1];
      indices = new int[v];
      values = new double[v];
      y = new double[r];
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
