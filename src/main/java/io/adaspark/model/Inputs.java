package io.adaspark.model;

import dev.ludovic.netlib.blas.BLAS;
import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;

/**
 * The input layer of every model: the selected rows of a block, visited in chunks of at most
 * {@link #CHUNK} rows, with the two products that touch the features.
 *
 * <ul>
 *   <li>{@link #multiplyTransposed}: for T parameter vectors at once, each holding an
 *       {@code m × d} row-major weight matrix at offset 0, {@code out[(j·b + i)·m + r] =
 *       Σ_l x_il · θ_j[r·d + l]} (b = rows of the chunk). This is the fused product
 *       {@code X·[W_1; …; W_T]ᵀ}: the chunk's rows are read once for all T matrices.</li>
 *   <li>{@link #addTransposedProduct}: {@code grad[r·d + l] += Σ_i dz[i·m + r] · x_il}, i.e.
 *       {@code G += dZᵀ·X} for one parameter vector.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> The fused product is written here rather than delegated to dgemm: the
 * Java netlib dgemm picks its algorithm from {@code m·n·k} (direct below 10⁶, packed and blocked
 * above) and VectorBLAS vectorizes across lanes, so a column's summation order depends on how
 * many other columns there are. Measured with dev.ludovic.netlib 3.0.4 (VectorBLAS, Java 17):
 * for 256 rows, d = 784 and 16 outputs per vector, 241 of the 4096 outputs of vector 0 differ
 * in the last bits between T = 1 and T = 2..8 (none for d = 7). A native BLAS gives no
 * guarantee either. Here every output with m &lt; {@link #WIDE} (logistic and softmax
 * regression) is one {@link Kernels#dot} over l = 0..d-1 (eight interleaved partial sums,
 * k = l mod 8, a fixed tree, then the tail), and with m ≥ {@link #WIDE} (an MLP's first layer)
 * one sequential sum over l = 0..d-1 ({@link Kernels#outerProduct}, computed across the outputs
 * three rows at a time) — orders that depend only on d and on whether m reaches {@link #WIDE}, a
 * property of the model. So the result for θ_j is bit-identical whatever T is and whatever the
 * other θ hold (NaN included) — and on every machine: the SIMD form (JDK Vector API, when the
 * JVM has {@code jdk.incubator.vector}) and the scalar form perform the same IEEE operations in
 * the same order (see {@link Kernels}). Several outputs of a row may share its loads
 * ({@link Kernels#dot2}, {@link Kernels#dot4}); that changes no output's operations or their
 * order, only which outputs are computed side by side.
 *
 * <p>The gradient of a single output per row (m = 1, binary logistic regression) is
 * {@link Kernels#addScaledRows}: each feature's sum in row order, a function of the row order
 * alone (not of T, the chunking or the machine). The other per-parameter-vector products
 * (the gradient {@code dZᵀ·X} for m ≥ 2, hidden layers) have shapes independent of T and use
 * netlib BLAS: VectorBLAS when the JVM has {@code jdk.incubator.vector} (the Spark launcher and
 * the tests add it), else JavaBLAS — two implementations whose summation orders need not agree,
 * so bit-identity across machines assumes the same one; neither depends on T.
 *
 * <p>Chunking bounds the scratch memory ({@code CHUNK·d} for a gathered dense chunk,
 * {@code T·CHUNK·m} for the products); it depends only on the row count, never on T.
 */
abstract class Inputs {
  /** Rows per chunk. Fixed: the summation order over rows must not depend on anything else. */
  static final int CHUNK = 256;

  static final BLAS BLAS_INSTANCE = BLAS.getInstance();

  final DataBlock block;
  final int[] rows;
  final int count;
  final int d;
  /** First row (position in {@code rows[0..count)}) of the current chunk and its size. */
  int start;
  int size;

  Inputs(DataBlock block, int[] rows, int count) {
    if (count < 0 || (rows == null ? count > block.numRows() : count > rows.length)) {
      throw new IllegalArgumentException("count " + count + " out of range (block has "
          + block.numRows() + " rows" + (rows == null ? "" : ", rows has " + rows.length) + ")");
    }
    this.block = block;
    this.rows = rows;
    this.count = count;
    this.d = block.numFeatures();
  }

  /** The kernels for a dense or CSR block. */
  static Inputs of(DataBlock block, int[] rows, int count) {
    if (block instanceof DenseBlock dense) return new Dense(dense, rows, count);
    if (block instanceof CsrBlock csr) return new Sparse(csr, rows, count);
    throw new IllegalArgumentException("unsupported block type " + block.getClass().getName());
  }

  /** Row index in the block of row i of the current chunk. */
  final int row(int i) {
    int p = start + i;
    return rows == null ? p : rows[p];
  }

  /** Label (class index) of row i of the current chunk. */
  final int label(int i) {
    return (int) block.label(row(i));
  }

  /** Selects the chunk of rows {@code [start, start+size)} of the selection. */
  void load(int start, int size) {
    this.start = start;
    this.size = size;
  }

  abstract void multiplyTransposed(double[][] thetas, int m, double[] out);

  abstract void addTransposedProduct(double[] dz, int m, double[] grad);

  /**
   * Checks that every θ_j (and gradient, if {@code grads != null}) has {@code numParams} values
   * and that the block has the model's {@code d} features.
   */
  static void checkShapes(int numParams, int d, double[][] thetas, double[][] grads, DataBlock block) {
    if (block.numFeatures() != d) {
      throw new IllegalArgumentException("block has " + block.numFeatures() + " features, model " + d);
    }
    if (grads != null && grads.length != thetas.length) {
      throw new IllegalArgumentException(thetas.length + " parameter vectors but " + grads.length + " gradients");
    }
    for (int j = 0; j < thetas.length; j++) {
      if (thetas[j].length != numParams) {
        throw new IllegalArgumentException("theta[" + j + "] has " + thetas[j].length + " values, expected " + numParams);
      }
      if (grads != null && grads[j].length != numParams) {
        throw new IllegalArgumentException("grads[" + j + "] has " + grads[j].length + " values, expected " + numParams);
      }
    }
  }

  /**
   * Outputs per parameter vector from which {@link Dense#multiplyTransposed} sums each output
   * sequentially across the outputs ({@link Kernels#outerProduct}) instead of as a
   * {@link Kernels#dot}: an MLP's first layer. A property of the model (its first hidden width),
   * never of T or the data's layout, so each model keeps one order everywhere.
   */
  static final int WIDE = 8;

  /** Row-major dense features; a chunk is used in place if contiguous, else gathered. */
  static final class Dense extends Inputs {
    private final double[] x;
    private double[] chunk;
    private double[] cur;
    private int off;
    /** Scratch of {@link #outer}: transposed weights and three rows' partial sums. */
    private double[][] wt;
    private double[][] acc;

    Dense(DenseBlock block, int[] rows, int count) {
      super(block, rows, count);
      this.x = block.x();
    }

    @Override void load(int start, int size) {
      super.load(start, size);
      if (rows == null) {
        cur = x;
        off = start * d;
      } else {
        if (chunk == null) chunk = new double[Math.min(CHUNK, count) * d];
        for (int i = 0; i < size; i++) System.arraycopy(x, rows[start + i] * d, chunk, i * d, d);
        cur = chunk;
        off = 0;
      }
    }

    @Override void multiplyTransposed(double[][] thetas, int m, double[] out) {
      // Separate methods, so that each has its own JIT profile: compiled while only the
      // logistic models (m = 1) ran, one method made a later MLP pass (m = 64) up to 1.8× slower
      // (bench rows 7 then 8: 3.29 s a pass against 1.80 s for row 8 alone).
      if (m == 1) {
        productOne(thetas, out);
      } else {
        productMany(thetas, m, out);
      }
    }

    private void productOne(double[][] thetas, double[] out) {
      int b = size;
      for (int j = 0; j < thetas.length; j++) {
        double[] w = thetas[j];
        int o = j * b;
        for (int i = 0; i < b; i++) out[o + i] = Kernels.dot(cur, off + i * d, w, 0, d);
      }
    }

    private void productMany(double[][] thetas, int m, double[] out) {
      int b = size;
      for (int j = 0; j < thetas.length; j++) {
        double[] w = thetas[j];
        if (m >= WIDE) {
          // An MLP's first layer: the outer-product form (C2's own SIMD code across the outputs,
          // three rows per weight load). Not the Vector API's dot4: compiled late in a JVM that
          // had run other Vector API code (the benchmark's row 8 after rows 1-7), C2 left its
          // vector operations unintrinsified (JFR: DoubleVector.stOp, lanewiseTemplate) and an
          // MLP pass took 6.2-6.8 s instead of 1.55 s.
          outer(w, m, out, j * b * m);
          continue;
        }
        int r = 0;
        if (Kernels.SIMD) {
          // four outputs per pass over a row
          for (; r + 3 < m; r += 4) {
            int o = j * b * m + r;
            for (int i = 0; i < b; i++) Kernels.dot4(cur, off + i * d, w, r * d, d, out, o + i * m);
          }
        }
        for (; r + 1 < m; r += 2) {
          int o = j * b * m + r;
          for (int i = 0; i < b; i++) Kernels.dot2(cur, off + i * d, w, r * d, (r + 1) * d, d, out, o + i * m);
        }
        for (; r < m; r++) {
          int o = j * b * m + r;
          for (int i = 0; i < b; i++) out[o + i * m] = Kernels.dot(cur, off + i * d, w, r * d, d);
        }
      }
    }

    /**
     * For m ≥ {@link #WIDE}: {@code out[o + i·m + r] = Σ_l x_il·W[r][l]} for the chunk's rows
     * and all m outputs, each a sequential sum in increasing l ({@link Kernels#outerProduct}).
     * Measured on the benchmark's MLP [100, 64, 2] (KernelMicroBench what=mlp,parts; BENCHMARKS.md).
     */
    private void outer(double[] w, int m, double[] out, int o) {
      if (wt == null || wt[0].length != m) {
        wt = new double[d][m];
        acc = new double[3][m];
      }
      for (int r = 0; r < m; r++) {
        for (int l = 0; l < d; l++) wt[l][r] = w[r * d + l];
      }
      Kernels.outerProduct(cur, off, d, size, wt, m, acc, out, o);
    }

    @Override void addTransposedProduct(double[] dz, int m, double[] grad) {
      // column-major view: G (d × m, ld d) += X (d × b, ld d) · dZᵀ, dZ is m × b (ld m)
      if (m == 1) {
        Kernels.addScaledRows(cur, off, d, size, dz, grad, 0);
      } else {
        BLAS_INSTANCE.dgemm("N", "T", d, m, size, 1.0, cur, off, d, dz, 0, m, 1.0, grad, 0, d);
      }
    }
  }

  /** CSR features: products over the stored non-zeros only, rows never densified. */
  static final class Sparse extends Inputs {
    private final int[] indptr;
    private final int[] indices;
    private final double[] values;

    Sparse(CsrBlock block, int[] rows, int count) {
      super(block, rows, count);
      this.indptr = block.indptr();
      this.indices = block.indices();
      this.values = block.values();
    }

    @Override void multiplyTransposed(double[][] thetas, int m, double[] out) {
      int b = size;
      for (int i = 0; i < b; i++) {
        int row = row(i);
        int p0 = indptr[row], p1 = indptr[row + 1];
        for (int j = 0; j < thetas.length; j++) {
          double[] w = thetas[j];
          int o = (j * b + i) * m;
          for (int r = 0; r < m; r++) {
            int wo = r * d;
            double s = 0;
            for (int p = p0; p < p1; p++) s += values[p] * w[wo + indices[p]];
            out[o + r] = s;
          }
        }
      }
    }

    @Override void addTransposedProduct(double[] dz, int m, double[] grad) {
      for (int i = 0; i < size; i++) {
        int row = row(i);
        int p0 = indptr[row], p1 = indptr[row + 1];
        for (int r = 0; r < m; r++) {
          double g = dz[i * m + r];
          if (g == 0) continue;
          int go = r * d;
          for (int p = p0; p < p1; p++) grad[go + indices[p]] += g * values[p];
        }
      }
    }
  }
}
