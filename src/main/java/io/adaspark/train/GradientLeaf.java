package io.adaspark.train;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.model.Model;
import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * One partition's summed losses and gradients for K parameter vectors: the leaf of the
 * {@link FixedTree}. On dense blocks (and for models without a sparse gradient) the leaf is
 * dense, as the kernels write it. On CSR blocks it is sparse: the rows reach only the features
 * of their non-zeros, so only {@link Model#touchedParameters} of those can be non-zero; the
 * kernel runs into a per-thread dense scratch (reused by every task of the executor thread,
 * kept all {@code +0.0} between uses: only the touched coordinates are read out and reset, so
 * a step costs O(B·nnz), not O(K·d)), and the leaf carries the touched indices and their
 * values, the same bits as the dense leaf at those coordinates.
 */
final class GradientLeaf {
  private GradientLeaf() {}

  /** Per executor thread: K × numParams gradients and d/64 feature marks, all zero between uses. */
  private static final class Scratch {
    double[][] grads = new double[0][];
    long[] marks = new long[0];
    boolean dirty;
  }

  private static final ThreadLocal<SoftReference<Scratch>> LOCAL = new ThreadLocal<>();

  private static Scratch scratch(int k, int numParams, int d) {
    SoftReference<Scratch> ref = LOCAL.get();
    Scratch s = ref == null ? null : ref.get();
    if (s == null) {
      s = new Scratch();
      LOCAL.set(new SoftReference<>(s));
    }
    int words = (d + 63) >>> 6;
    if (s.marks.length < words) s.marks = new long[words];
    if (s.grads.length < k || s.grads[0].length != numParams) {
      double[][] g = new double[Math.max(k, s.grads.length)][];
      for (int j = 0; j < g.length; j++) {
        g[j] = j < s.grads.length && s.grads[j].length == numParams ? s.grads[j] : new double[numParams];
      }
      s.grads = g;
    }
    if (s.dirty) {
      // A use that failed half-way (an exception in the kernel): start clean.
      for (double[] g : s.grads) Arrays.fill(g, 0.0);
      Arrays.fill(s.marks, 0L);
      s.dirty = false;
    }
    return s;
  }

  /**
   * The leaf of {@code partition}: rows {@code rows[0..count)} of the block ({@code rows ==
   * null}: rows {@code 0..count)}), summed over K = {@code thetas.length} parameter vectors.
   */
  static Partial compute(Model model, double[][] thetas, DataBlock block, int[] rows, int count, int partition) {
    int k = thetas.length;
    int n = model.numParams();
    if (block instanceof CsrBlock csr) {
      Scratch s = scratch(k, n, csr.numFeatures());
      s.dirty = true;
      int[] touched = model.touchedParameters(features(csr, rows, count, s.marks));
      if (touched != null && 3L * touched.length <= 2L * n) {
        double[][] grads = Arrays.copyOf(s.grads, k);
        double[] losses = count == 0 ? new double[k] : model.addLossGradientFused(thetas, block, rows, count, grads);
        double[][] values = new double[k][touched.length];
        for (int j = 0; j < k; j++) {
          double[] g = grads[j];
          double[] v = values[j];
          for (int t = 0; t < touched.length; t++) {
            v[t] = g[touched[t]];
            g[touched[t]] = 0.0;
          }
        }
        s.dirty = false;
        return new Partial(partition, count, losses, values, null, touched);
      }
      s.dirty = false;
    }
    double[][] grads = new double[k][n];
    double[] losses = count == 0 ? new double[k] : model.addLossGradientFused(thetas, block, rows, count, grads);
    return new Partial(partition, count, losses, grads, null);
  }

  /** The features of the selected rows' non-zeros, strictly increasing; {@code marks} left zero. */
  static int[] features(CsrBlock csr, int[] rows, int count, long[] marks) {
    int[] ptr = csr.indptr();
    int[] idx = csr.indices();
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[i];
      for (int p = ptr[r]; p < ptr[r + 1]; p++) marks[idx[p] >>> 6] |= 1L << (idx[p] & 63);
    }
    int words = (csr.numFeatures() + 63) >>> 6;
    int m = 0;
    for (int w = 0; w < words; w++) m += Long.bitCount(marks[w]);
    int[] out = new int[m];
    int t = 0;
    for (int w = 0; w < words; w++) {
      long bits = marks[w];
      while (bits != 0) {
        out[t++] = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
      marks[w] = 0L;
    }
    return out;
  }
}
