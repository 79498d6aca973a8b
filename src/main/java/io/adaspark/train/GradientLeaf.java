package io.adaspark.train;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;
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
 * read once per chunk. A dense leaf (a full pass touches nearly every coordinate) is a new
 * K·n array when it goes to the driver whole (tasks at level 0); above level 0 it is added into
 * its tree node from the same scratch, in chunks of {@link #denseRuns} runs ({@link #addInto}).
 *
 * <p>A step that ships only the parameter coordinates its rows read ({@link
 * CohortObjective#step}) needs dense θ for the kernels too: the same chunks of runs go through
 * a second per-thread scratch of parameter vectors, kept {@code +0.0} between uses in the same
 * way (the touched coordinates set from the shipped ones before the kernel, reset after it),
 * so a thread then holds at most twice {@link #SCRATCH_BYTES} (at least one run's gradient and
 * parameters).
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

  /** Test hook: the parameter vectors the calling thread's scratch holds now (all {@code +0.0} between uses). */
  static double[][] scratchThetas() {
    SoftReference<Scratch> ref = LOCAL.get();
    Scratch s = ref == null ? null : ref.get();
    return s == null ? new double[0][] : s.thetas;
  }

  /**
   * Per executor thread: up to {@link #scratchRuns} × numParams gradients, as many parameter
   * vectors (only for a step that ships part of the coordinates, {@link #compute(Model, int[],
   * double[][], DataBlock, int[], int, int)}) and d/64 feature marks, all zero between uses.
   */
  private static final class Scratch {
    double[][] grads = new double[0][];
    double[][] thetas = new double[0][];
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
      for (double[] t : s.thetas) Arrays.fill(t, 0.0);
      Arrays.fill(s.marks, 0L);
      s.dirty = false;
    }
    return s;
  }

  /** The scratch's first {@code k} gradient vectors of {@code numParams}, all {@code +0.0}. */
  private static void grads(Scratch s, int k, int numParams) {
    s.grads = vectors(s.grads, k, numParams);
  }

  /** At least {@code k} vectors of {@code numParams} (the all-zero ones of {@code have} kept). */
  private static double[][] vectors(double[][] have, int k, int numParams) {
    if (have.length >= k && have[0].length == numParams) return have;
    boolean same = have.length > 0 && have[0].length == numParams;
    double[][] g = new double[k][];
    for (int j = 0; j < k; j++) g[j] = same && j < have.length ? have[j] : new double[numParams];
    return g;
  }

  /**
   * The leaf of {@code partition}: rows {@code rows[0..count)} of the block ({@code rows ==
   * null}: rows {@code 0..count)}), summed over K = {@code thetas.length} parameter vectors.
   */
  static Partial compute(Model model, double[][] thetas, DataBlock block, int[] rows, int count, int partition) {
    return compute(model, null, thetas, block, rows, count, partition);
  }

  /**
   * As {@link #compute(Model, double[][], DataBlock, int[], int, int)} for parameter vectors of
   * which only the coordinates {@code index} (strictly increasing) were shipped: {@code
   * values[j][t]} is {@code θ_j[index[t]]}, K = {@code values.length} ({@code index == null}:
   * {@code values} are the full vectors). The kernel reads only the touched parameters of the
   * rows ({@link Model#touchedParameters}); those must all be in {@code index}, else this throws
   * (the driver shipped the set of another step). For each chunk of runs the touched
   * coordinates (this partition's, a subset of the shipped union) are set in the thread's dense
   * θ scratch ({@code +0.0} everywhere else, as it is kept between uses), the kernel runs on it,
   * and they are reset to {@code +0.0}: O(|index| + K·|touched|) a leaf, never O(K·n), and the
   * same bits as the full vectors, which hold the same values at every coordinate the kernel
   * reads.
   */
  static Partial compute(Model model, int[] index, double[][] values, DataBlock block, int[] rows, int count,
                         int partition) {
    Partial sparse = sparse(model, index, values, block, rows, count, partition);
    if (sparse != null) return sparse;
    int k = values.length;
    int n = model.numParams();
    double[][] thetas = index == null ? values : expanded(index, values, n);
    double[][] grads = new double[k][n];
    double[] losses = count == 0 ? new double[k] : model.addLossGradientFused(thetas, block, rows, count, grads);
    return new Partial(partition, count, losses, grads, null);
  }

  /**
   * Adds the leaf of {@link #compute(Model, int[], double[][], DataBlock, int[], int, int)} into
   * {@code node}, its open parent, with the same bits, carrying {@code next} (the features of
   * the next step's rows, or null). A sparse leaf is added whole; a dense one goes through the
   * thread's scratch in chunks of {@link #denseRuns} runs (one run of a wide model), each
   * chunk's gradients added into the node and cleared at once, so the leaf is never K·n doubles
   * of its own and a chunk's vectors stay in cache between the kernel and the addition.
   */
  static void addInto(Model model, int[] index, double[][] values, DataBlock block, int[] rows, int count,
                      int partition, int[] next, PartialSum node) {
    Partial sparse = count == 0 ? null : sparse(model, index, values, block, rows, count, partition);
    if (sparse != null || count == 0) {
      Partial leaf = sparse != null ? sparse : compute(model, index, values, block, rows, count, partition);
      node.add(next == null ? leaf : leaf.withNextFeatures(next));
      return;
    }
    int k = values.length;
    int n = model.numParams();
    double[][] thetas = index == null ? values : expanded(index, values, n);
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
    node.addScalars(count, losses, next);
  }

  /**
   * The level-1 node of dense {@code blocks} (partitions in index order, {@code rows[i]} the
   * rows of block i), written into {@code node}, its open and still empty node: the fused kernel
   * over the rows of all the blocks, concatenated in partition order (each block's rows in
   * their order), adding into the node's K dense gradients, which start at {@code +0.0}. So the
   * node is what one partition holding those rows in that order would give as its leaf: every
   * gradient coordinate is one chain of additions over the node's rows, as the kernel makes it,
   * and a step costs one pass over the node's K·n gradient per chunk of rows, not one per
   * partition plus one to add each leaf (an MLP of 2·10⁵ parameters at P = 128 gives each block
   * about 8 rows of a 1,024-row batch).
   *
   * <p>The rows are gathered {@link Model#CHUNK_ROWS} at a time into one reused block (256·d
   * doubles, as the kernels' own chunk), and the kernel runs on each gathered chunk: the kernels
   * work in chunks of that many rows anyway, adding each chunk into the gradients and each
   * chunk's loss into a running sum from {@code +0.0}, so chunk-by-chunk calls whose losses are
   * added here in order give the bits of one call over all the rows. The runs go through the
   * kernel in chunks of {@link #denseRuns} (each run is computed on its own).
   */
  static void addRowsInto(Model model, int[] index, double[][] values, DataBlock[] blocks, int[][] rows,
                          PartialSum node) {
    int k = values.length;
    int n = model.numParams();
    int d = model.numFeatures();
    int total = 0;
    for (int i = 0; i < blocks.length; i++) {
      if (blocks[i].numFeatures() != d) {
        throw new IllegalArgumentException("block of " + blocks[i].numFeatures() + " features for a model of " + d);
      }
      total += rows[i].length;
    }
    double[][] thetas = index == null ? values : expanded(index, values, n);
    double[][] grads = node.denseGrads(k);
    double[] losses = new double[k];
    int cap = Math.min(Model.CHUNK_ROWS, total);
    double[] x = new double[Math.multiplyExact(cap, d)];
    double[] y = new double[cap];
    int c = denseRuns(k, n);
    int blk = 0, at = 0;
    for (int start = 0; start < total; start += cap) {
      int cb = Math.min(cap, total - start);
      for (int i = 0; i < cb; i++) {
        while (at == rows[blk].length) {
          blk++;
          at = 0;
        }
        DenseBlock b = (DenseBlock) blocks[blk];
        int r = rows[blk][at++];
        System.arraycopy(b.x(), r * d, x, i * d, d);
        y[i] = b.label(r);
      }
      DenseBlock chunk = cb == cap ? new DenseBlock(cb, d, x, y)
          : new DenseBlock(cb, d, Arrays.copyOf(x, cb * d), Arrays.copyOf(y, cb));
      for (int a = 0; a < k; a += c) {
        int e = Math.min(k, a + c);
        double[] l = model.addLossGradientFused(Arrays.copyOfRange(thetas, a, e), chunk, null, cb,
            Arrays.copyOfRange(grads, a, e));
        for (int j = a; j < e; j++) losses[j] += l[j - a];
      }
    }
    node.addScalars(total, losses, null);
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
  private static Partial sparse(Model model, int[] index, double[][] values, DataBlock block, int[] rows, int count,
                                int partition) {
    int k = values.length;
    int n = model.numParams();
    if (block instanceof CsrBlock csr) {
      Scratch s = scratch(csr.numFeatures());
      s.dirty = true;
      // every feature has a parameter of its own, so more than 2n/3 features means more than
      // 2n/3 touched parameters: a dense leaf, known after a few thousand rows of a full pass
      // (with shipped coordinates every feature is checked against them, so all are read)
      int[] features = features(csr, rows, count, s.marks, index == null ? 2L * n / 3 : Long.MAX_VALUE);
      s.dirty = false;
      if (features == null) return null;
      int[] touched = model.touchedParameters(features);
      int[] at = index == null ? null : positions(touched, index, partition);
      if (touched != null && 3L * touched.length <= 2L * n) {
        int c = scratchRuns(k, n);
        grads(s, c, n);
        if (index != null) s.thetas = vectors(s.thetas, c, n);
        s.dirty = true;
        double[] losses = new double[k];
        double[][] out = new double[k][touched.length];
        for (int a = 0; a < k; a += c) {
          int b = Math.min(k, a + c);
          double[][] grads = Arrays.copyOf(s.grads, b - a);
          double[][] th = index == null ? Arrays.copyOfRange(values, a, b) : Arrays.copyOf(s.thetas, b - a);
          if (index != null) {
            for (int j = a; j < b; j++) {
              double[] t = th[j - a];
              double[] v = values[j];
              for (int u = 0; u < touched.length; u++) t[touched[u]] = v[at[u]];
            }
          }
          if (count > 0) {
            double[] l = model.addLossGradientFused(th, block, rows, count, grads);
            System.arraycopy(l, 0, losses, a, b - a);
          }
          for (int j = a; j < b; j++) {
            double[] g = grads[j - a];
            double[] v = out[j];
            for (int t = 0; t < touched.length; t++) {
              v[t] = g[touched[t]];
              g[touched[t]] = 0.0;
            }
            if (index != null) {
              double[] t = th[j - a];
              for (int u = 0; u < touched.length; u++) t[touched[u]] = 0.0;
            }
          }
        }
        s.dirty = false;
        return new Partial(partition, count, losses, out, null, touched);
      }
    }
    return null;
  }

  /**
   * The features of the rows {@code rows} of the block (strictly increasing), or null unless
   * it is CSR: what a step's leaves send for the next step's rows ({@link Partial#nextFeatures}).
   */
  static int[] features(DataBlock block, int[] rows) {
    if (!(block instanceof CsrBlock csr)) return null;
    Scratch s = scratch(csr.numFeatures());
    s.dirty = true;
    int[] out = features(csr, rows, rows.length, s.marks);
    s.dirty = false;
    return out;
  }

  /**
   * Where each touched parameter sits among the shipped ones ({@code index[at[t]] ==
   * touched[t]}; both strictly increasing, one merge walk); throws unless every touched
   * parameter was shipped (null: the model reads all of them).
   */
  private static int[] positions(int[] touched, int[] index, int partition) {
    if (touched == null) {
      throw new IllegalStateException("partition " + partition + ": restricted parameters for a model or rows "
          + "without touched parameters");
    }
    int[] at = new int[touched.length];
    int u = 0;
    for (int i = 0; i < touched.length; i++) {
      int t = touched[i];
      while (u < index.length && index[u] < t) u++;
      if (u == index.length || index[u] != t) {
        throw new IllegalStateException("partition " + partition + ": parameter " + t + " is read by the step's "
            + "rows but was not shipped (" + index.length + " shipped)");
      }
      at[i] = u;
    }
    return at;
  }

  /** Full vectors of n from the shipped coordinates (+0.0 elsewhere): new arrays. */
  private static double[][] expanded(int[] index, double[][] values, int n) {
    double[][] out = new double[values.length][n];
    for (int j = 0; j < values.length; j++) {
      for (int u = 0; u < index.length; u++) out[j][index[u]] = values[j][u];
    }
    return out;
  }

  /** The features of the selected rows' non-zeros, strictly increasing; {@code marks} left zero. */
  static int[] features(CsrBlock csr, int[] rows, int count, long[] marks) {
    return features(csr, rows, count, marks, Long.MAX_VALUE);
  }

  /**
   * As {@link #features(CsrBlock, int[], int, long[])}, or null as soon as more than {@code limit}
   * distinct features are seen (the rows are marked in order, counting each new feature), so a
   * full pass whose leaf will be dense stops after the first few thousand rows instead of
   * reading every index of the block; {@code marks} left zero either way.
   */
  static int[] features(CsrBlock csr, int[] rows, int count, long[] marks, long limit) {
    int[] ptr = csr.indptr();
    int[] idx = csr.indices();
    int words = (csr.numFeatures() + 63) >>> 6;
    long m = 0;
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[i];
      for (int p = ptr[r]; p < ptr[r + 1]; p++) {
        int w = idx[p] >>> 6;
        long bit = 1L << (idx[p] & 63);
        long before = marks[w];
        marks[w] = before | bit;
        if ((before & bit) == 0) m++;
      }
      if (m > limit) {
        Arrays.fill(marks, 0, words, 0L);
        return null;
      }
    }
    int[] out = new int[(int) m];
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
