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
 *
 * <p>The scratch holds at most {@link #SCRATCH_BYTES} of run vectors (at least one): the K runs
 * go through the kernel in chunks of {@code max(1, SCRATCH_BYTES / 8n)}, so a thread holds
 * O(n) doubles, never K·n (K = 64 runs of 10⁷ parameters would be 5 GB a thread). The fused
 * kernels compute each run on its own, so the chunks give the same bits; only the rows are
 * read once per chunk. The scratch is allocated only when the leaf is sparse (a full pass,
 * which touches nearly every coordinate, goes straight to the dense leaf).
 */
final class GradientLeaf {
  private GradientLeaf() {}

  /** The most bytes of run vectors a thread's scratch holds (at least one run's). */
  static final long SCRATCH_BYTES = 32L << 20;

  /** Runs the scratch of {@code numParams} parameters holds: {@code max(1, SCRATCH_BYTES / 8n)}, at most {@code k}. */
  static int scratchRuns(int k, int numParams) {
    return (int) Math.max(1, Math.min(k, scratchBytes / (8L * numParams)));
  }

  /** Test hook: the scratch's cap in bytes ({@link #SCRATCH_BYTES} outside tests). */
  static volatile long scratchBytes = SCRATCH_BYTES;

  /** Test hook: the gradient vectors the calling thread's scratch holds now. */
  static int scratchVectors() {
    SoftReference<Scratch> ref = LOCAL.get();
    Scratch s = ref == null ? null : ref.get();
    return s == null ? 0 : s.grads.length;
  }

  /** Per executor thread: up to {@link #scratchRuns} × numParams gradients and d/64 feature marks, all zero between uses. */
  private static final class Scratch {
    double[][] grads = new double[0][];
    long[] marks = new long[0];
    boolean dirty;
  }

  private static final ThreadLocal<SoftReference<Scratch>> LOCAL = new ThreadLocal<>();

  private static Scratch scratch(int d) {
    SoftReference<Scratch> ref = LOCAL.get();
    Scratch s = ref == null ? null : ref.get();
    if (s == null) {
      s = new Scratch();
      LOCAL.set(new SoftReference<>(s));
    }
    int words = (d + 63) >>> 6;
    if (s.marks.length < words) s.marks = new long[words];
    if (s.dirty) {
      // A use that failed half-way (an exception in the kernel): start clean.
      for (double[] g : s.grads) Arrays.fill(g, 0.0);
      Arrays.fill(s.marks, 0L);
      s.dirty = false;
    }
    return s;
  }

  /** The scratch's first {@code k} gradient vectors of {@code numParams}, all {@code +0.0}. */
  private static void grads(Scratch s, int k, int numParams) {
    if (s.grads.length < k || s.grads[0].length != numParams) {
      boolean same = s.grads.length > 0 && s.grads[0].length == numParams;
      double[][] g = new double[k][];
      for (int j = 0; j < k; j++) g[j] = same && j < s.grads.length ? s.grads[j] : new double[numParams];
      s.grads = g;
    }
  }

  /**
   * The leaf of {@code partition}: rows {@code rows[0..count)} of the block ({@code rows ==
   * null}: rows {@code 0..count)}), summed over K = {@code thetas.length} parameter vectors.
   */
  static Partial compute(Model model, double[][] thetas, DataBlock block, int[] rows, int count, int partition) {
    Partial sparse = sparse(model, thetas, block, rows, count, partition);
    if (sparse != null) return sparse;
    double[][] grads = new double[thetas.length][model.numParams()];
    double[] losses = count == 0 ? new double[thetas.length]
        : model.addLossGradientFused(thetas, block, rows, count, grads);
    return new Partial(partition, count, losses, grads, null);
  }

  /**
   * Adds the leaf of {@link #compute} into {@code node}, its open parent, with the same bits. A
   * sparse leaf is added whole; a dense one goes through the thread's scratch in chunks of
   * {@link #denseRuns} runs (one run of a wide model), each chunk's gradients added into the
   * node and cleared at once, so the leaf is never K·n doubles of its own and a chunk's vectors
   * stay in cache between the kernel and the addition.
   */
  static void addInto(Model model, double[][] thetas, DataBlock block, int[] rows, int count, int partition,
                      PartialSum node) {
    Partial sparse = count == 0 ? null : sparse(model, thetas, block, rows, count, partition);
    if (sparse != null || count == 0) {
      node.add(sparse != null ? sparse : compute(model, thetas, block, rows, count, partition));
      return;
    }
    int k = thetas.length;
    int n = model.numParams();
    int c = denseRuns(k, n);
    Scratch s = scratch(0);
    grads(s, c, n);
    s.dirty = true;
    double[] losses = new double[k];
    for (int a = 0; a < k; a += c) {
      int b = Math.min(k, a + c);
      double[][] grads = Arrays.copyOf(s.grads, b - a);
      double[] l = model.addLossGradientFused(Arrays.copyOfRange(thetas, a, b), block, rows, count, grads);
      System.arraycopy(l, 0, losses, a, b - a);
      for (int j = a; j < b; j++) node.addDenseRunAndClear(k, j, grads[j - a]);
    }
    s.dirty = false;
    node.addScalars(count, losses);
  }

  /** The most bytes of run vectors a dense leaf's chunk holds: with the node's rows, within a core's L2. */
  static final long DENSE_CHUNK_BYTES = 1L << 20;

  /** Runs of a dense leaf's chunk: {@code max(1, DENSE_CHUNK_BYTES / 8n)}, at most {@code k}. */
  static int denseRuns(int k, int numParams) {
    return (int) Math.max(1, Math.min(k, denseChunkBytes / (8L * numParams)));
  }

  /** Test hook: the dense chunk's cap in bytes ({@link #DENSE_CHUNK_BYTES} outside tests). */
  static volatile long denseChunkBytes = DENSE_CHUNK_BYTES;

  /** The sparse leaf of CSR rows when it pays (the touched parameters at most two thirds of n), else null. */
  private static Partial sparse(Model model, double[][] thetas, DataBlock block, int[] rows, int count,
                                int partition) {
    int k = thetas.length;
    int n = model.numParams();
    if (block instanceof CsrBlock csr) {
      Scratch s = scratch(csr.numFeatures());
      s.dirty = true;
      int[] touched = model.touchedParameters(features(csr, rows, count, s.marks));
      s.dirty = false;
      if (touched != null && 3L * touched.length <= 2L * n) {
        int c = scratchRuns(k, n);
        grads(s, c, n);
        s.dirty = true;
        double[] losses = new double[k];
        double[][] values = new double[k][touched.length];
        for (int a = 0; a < k; a += c) {
          int b = Math.min(k, a + c);
          double[][] grads = Arrays.copyOf(s.grads, b - a);
          if (count > 0) {
            double[] l = model.addLossGradientFused(Arrays.copyOfRange(thetas, a, b), block, rows, count, grads);
            System.arraycopy(l, 0, losses, a, b - a);
          }
          for (int j = a; j < b; j++) {
            double[] g = grads[j - a];
            double[] v = values[j];
            for (int t = 0; t < touched.length; t++) {
              v[t] = g[touched[t]];
              g[touched[t]] = 0.0;
            }
          }
        }
        s.dirty = false;
        return new Partial(partition, count, losses, values, null, touched);
      }
    }
    return null;
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
