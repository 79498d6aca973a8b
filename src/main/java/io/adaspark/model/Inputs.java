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
 * one sequential sum over l = 0..d-1 ({@link Kernels#addOuterProducts}, register-blocked over
 * rows and outputs) — orders that depend only on d and on whether m reaches {@link #WIDE}, a
 * property of the model. So the result for θ_j is bit-identical whatever T is and whatever the
 * other θ hold (NaN included) — and on every machine: the SIMD form (JDK Vector API, when the
 * JVM has {@code jdk.incubator.vector}) and the scalar form perform the same IEEE operations in
 * the same order (see {@link Kernels}). Several outputs of a row may share its loads
 * ({@link Kernels#dot2}, {@link Kernels#dot4}); that changes no output's operations or their
 * order, only which outputs are computed side by side.
 *
 * <p>The gradient {@code dZᵀ·X} is {@link Kernels#addScaledRows} for a single output per row
 * (m = 1, binary logistic regression) and {@link Kernels#addOuterProducts} for m ≥ 2: each
 * weight's sum in row order, a function of the row order alone (not of T, the chunking, the BLAS
 * or the machine). The hidden and output layers of an MLP use netlib BLAS: VectorBLAS when the
 * JVM has {@code jdk.incubator.vector} (the Spark launcher and the tests add it), else JavaBLAS,
 * or a native BLAS where one is installed — implementations whose summation orders need not
 * agree, so an MLP's bit-identity across machines assumes the same one; none depends on T.
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
   * sequentially ({@link Kernels#addOuterProducts}) instead of as a {@link Kernels#dot}: an
   * MLP's first layer. A property of the model (its first hidden width),
   * never of T or the data's layout, so each model keeps one order everywhere.
   */
  static final int WIDE = 8;

  /**
   * The most bytes of transposed first-layer weights one call keeps for all its runs across its
   * chunks (beyond that each chunk transposes each run's weights again): a full pass of
   * [100, 64] transposed 6,400 weights per 256-row chunk, about a tenth of its product.
   */
  static final long TRANSPOSED_BYTES = 8L << 20;

  /** Row-major dense features; a chunk is used in place if contiguous, else gathered. */
  static final class Dense extends Inputs {
    private final double[] x;
    private double[] chunk;
    private double[] cur;
    private int off;
    /** Scratch of {@link #wide}: the transposed weights, or the transposed chunk and outputs. */
    private double[] wt;
    /** Each run's transposed weights, kept across the chunks of a call, and the vectors they are of. */
    private double[][] wts;
    private double[][] wtsOf;
    private double[] xt;
    private double[] outT;

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

    /**
     * One output per run: four runs at a time share each row's loads ({@link Kernels#dot4} of
     * four vectors, eight independent partial-sum chains in flight instead of two), the rest one
     * {@link Kernels#dot} each — the same operations for every output either way.
     */
    private void productOne(double[][] thetas, double[] out) {
      int b = size;
      int j = 0;
      for (; j + 3 < thetas.length; j += 4) {
        double[] w0 = thetas[j], w1 = thetas[j + 1], w2 = thetas[j + 2], w3 = thetas[j + 3];
        int o = j * b;
        for (int i = 0; i < b; i++) Kernels.dot4(cur, off + i * d, w0, 0, w1, 0, w2, 0, w3, 0, d, out, o + i, b);
      }
      for (; j < thetas.length; j++) {
        double[] w = thetas[j];
        int o = j * b;
        for (int i = 0; i < b; i++) out[o + i] = Kernels.dot(cur, off + i * d, w, 0, d);
      }
    }

    private void productMany(double[][] thetas, int m, double[] out) {
      if (m >= WIDE) {
        wide(thetas, m, out);
        return;
      }
      int b = size;
      for (int j = 0; j < thetas.length; j++) {
        double[] w = thetas[j];
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
     * For m ≥ {@link #WIDE} (an MLP's first layer): {@code out[(j·b + i)·m + r] = Σ_l x_il·W_j[r][l]},
     * each a sequential sum in increasing l from +0 ({@link Kernels#addOuterProducts}), in one of
     * two arrangements with the same bits. A chunk of at least m rows (a full pass, a large batch)
     * goes row by row across the outputs, {@code out_i += x_il · Wᵀ[l]}, which needs each W
     * transposed (m·d copies per chunk and run); a smaller chunk (the few rows a step gives each
     * of many partitions) goes output by output across the rows, {@code outᵀ_r += W[r][l] · Xᵀ[l]},
     * which transposes the chunk once for all runs and each run's b·m outputs instead. Measured
     * on [100, 64] and [784, 256] (BENCHMARKS.md, "MLP kernel"): the crossover is near b = m.
     */
    /** {@code t[l·m + r] = w[r·d + l]} into {@code t} (a new array unless it has d·m values). */
    private double[] transpose(double[] w, double[] t, int m) {
      if (t == null || t.length != d * m) t = new double[d * m];
      for (int r = 0; r < m; r++) {
        for (int l = 0; l < d; l++) t[l * m + r] = w[r * d + l];
      }
      return t;
    }

    private void wide(double[][] thetas, int m, double[] out) {
      int b = size;
      if (b >= m) {
        // each run's transposed weights kept for the later chunks of the call (the parameters
        // do not change during a call) when all fit TRANSPOSED_BYTES, else transposed per chunk
        boolean keep = (long) thetas.length * d * m * 8 <= TRANSPOSED_BYTES;
        if (keep && (wts == null || wts.length != thetas.length)) {
          wts = new double[thetas.length][];
          wtsOf = new double[thetas.length][];
        }
        for (int j = 0; j < thetas.length; j++) {
          double[] t;
          if (keep) {
            if (wts[j] == null || wtsOf[j] != thetas[j]) {
              wts[j] = transpose(thetas[j], wts[j], m);
              wtsOf[j] = thetas[j];
            }
            t = wts[j];
          } else {
            t = wt = transpose(thetas[j], wt, m);
          }
          int o = j * b * m;
          java.util.Arrays.fill(out, o, o + b * m, 0.0);
          Kernels.addOuterProducts(d, b, m, cur, off, 1, d, t, 0, m, out, o, m);
        }
        return;
      }
      // rows padded to a multiple of 8, so that every row is in a full vector: the padding's
      // columns hold whatever they held (each lane is its own sum) and are never read out
      int bp = (b + 7) & ~7;
      if (xt == null || xt.length < d * bp) xt = new double[d * bp];
      if (outT == null || outT.length < m * bp) outT = new double[m * bp];
      for (int i = 0; i < b; i++) {
        int xi = off + i * d;
        for (int l = 0; l < d; l++) xt[l * bp + i] = cur[xi + l];
      }
      for (int j = 0; j < thetas.length; j++) {
        java.util.Arrays.fill(outT, 0, m * bp, 0.0);
        Kernels.addOuterProducts(d, m, bp, thetas[j], 0, 1, d, xt, 0, bp, outT, 0, bp);
        int o = j * b * m;
        for (int r = 0; r < m; r++) {
          for (int i = 0; i < b; i++) out[o + i * m + r] = outT[r * bp + i];
        }
      }
    }

    @Override void addTransposedProduct(double[] dz, int m, double[] grad) {
      if (m == 1) {
        Kernels.addScaledRows(cur, off, d, size, dz, grad, 0);
      } else {
        // G[r][l] (m × d) += Σ_i dZ[i][r] · x_il, each in row order
        Kernels.addOuterProducts(size, m, d, dz, 0, m, 1, cur, off, d, grad, 0, d);
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
