package io.adaspark.model;

import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;
import java.util.Arrays;

/**
 * Binary logistic regression. Parameters {@code θ = (w[0..d), b)}: the d weights, then the
 * intercept (d+1 values). For a row x with label y ∈ {0, 1}, {@code z = w·x + b} and
 *
 * <pre>
 *   loss(x, y) = log(1 + exp(z)) - y·z        (evaluated as max(z,0) + log1p(exp(-|z|)) - y·z)
 *   ∂loss/∂w   = (σ(z) - y)·x,   ∂loss/∂b = σ(z) - y,   σ(z) = 1/(1+exp(-z))
 *   penalty    = 0.5·l2·‖w‖²     (the intercept is not regularized)
 * </pre>
 *
 * <p>Kernels: {@code Z = X·[w_1 … w_T]} for T parameter vectors in one pass over the rows (see
 * {@link Inputs}), then per vector the residuals {@code r = σ(z) - y} and {@code g_w += Xᵀr}
 * ({@link Kernels#addScaledRows} on dense rows, a scatter over the non-zeros on CSR rows). Per
 * row the loss and σ(z) share one {@code e = exp(-|z|)} ({@link Kernels#logisticTerms}, on
 * the fixed-operation {@link Kernels#expNonPositive} and {@link Kernels#log1pUnit}, so the bits
 * are the same on every CPU): σ(z) is {@code 1/(1+e)} or {@code e/(1+e)} by the sign of z,
 * exactly {@link Kernels#sigmoid(double)}.
 *
 * <p>Order of every sum (fixed, so the bits are the same on any machine and whatever T):
 * {@code z = dot(x, w) + b} with {@link Kernels#dot}'s order (on CSR rows: the non-zeros in
 * stored order); the weight gradient {@code g_l += x_il·r_i} in row order over all rows; the
 * loss and the intercept gradient summed in row order within each chunk of
 * {@link Inputs#CHUNK} rows, the chunk sums added to the totals in chunk order
 * (DenseKernelsTest checks this against a plain loop). The
 * single-vector {@link #addLossGradient} is the fused kernel with T = 1, so both are
 * bit-identical.
 */
public final class BinaryLogisticRegression extends FusedModel implements BinaryScorer {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final double l2;

  /**
   * Rows per product-loss-gradient round inside a chunk, on contiguous dense rows with one or
   * two parameter vectors (a full pass): the rows are still in L1 when the gradient reads them
   * again, and the per-row exp/log runs while the next rows stream in rather than in a phase of
   * its own with the memory idle. Measured on one partition's share per thread (2 threads ×
   * 500,000 × 100, KernelMicroBench what=rounds, CPU s per pass, three runs): 0.029–0.044 s
   * (θ = 0) and 0.034–0.049 s (random θ) against 0.037–0.046 s and 0.043–0.046 s for whole
   * chunks. Gathered rows (mini-batches) and 8 or 32 fused vectors measured 0–10 % slower in
   * rounds (fewer row fetches in flight; more passes over the vectors), so they keep whole
   * chunks. No bit depends on this: the loss and intercept sums run in row order within each
   * chunk, the weight gradient in row order over all rows, however a chunk is split.
   */
  static final int STREAM_ROWS = 4;

  public BinaryLogisticRegression(int numFeatures, double l2) {
    if (numFeatures < 1) throw new IllegalArgumentException("numFeatures must be >= 1, got " + numFeatures);
    this.d = numFeatures;
    this.l2 = l2;
  }

  @Override public int numParams() { return d + 1; }
  @Override public int numFeatures() { return d; }
  @Override public int numClasses() { return 2; }

  /** {@code w[d]}, then the intercept {@code b[1]}. */
  @Override
  public io.adaspark.optim.ParamBlocks paramBlocks() {
    return io.adaspark.optim.ParamBlocks.of("w", new int[] {d}, "b", new int[] {1});
  }

  public double l2() { return l2; }

  @Override
  public double[] addLossGradientFused(double[][] thetas, DataBlock block, int[] rows, int count,
                                       double[][] grads) {
    checkShapes(thetas, grads, block);
    int t = thetas.length;
    double[] losses = new double[t];
    Inputs in = Inputs.of(block, rows, count);
    int cap = Math.min(Inputs.CHUNK, count);
    double[] z = new double[t * cap];
    double[] r = new double[cap];
    double[] ys = new double[cap];
    double[] terms = new double[cap];
    int step = block instanceof DenseBlock && rows == null && t <= 2 ? STREAM_ROWS : Inputs.CHUNK;
    double[] chunkLoss = new double[t], chunkRsum = new double[t];
    for (int start = 0; start < count; start += Inputs.CHUNK) {
      int cb = Math.min(Inputs.CHUNK, count - start);
      Arrays.fill(chunkLoss, 0.0);
      Arrays.fill(chunkRsum, 0.0);
      for (int s = start; s < start + cb; s += step) {
        int b = Math.min(step, start + cb - s);
        in.load(s, b);
        in.multiplyTransposed(thetas, 1, z);
        for (int i = 0; i < b; i++) {
          int y = in.label(i);
          Losses.checkLabel(y, 2);
          ys[i] = y;
        }
        for (int j = 0; j < t; j++) {
          double loss = chunkLoss[j], rsum = chunkRsum[j];
          // Losses.logistic and Kernels.sigmoid sharing one e = exp(-|z|) (same operations)
          Kernels.logisticTerms(z, j * b, b, thetas[j][d], ys, terms, r);
          for (int i = 0; i < b; i++) {
            loss += terms[i];
            rsum += r[i];
          }
          chunkLoss[j] = loss;
          chunkRsum[j] = rsum;
          in.addTransposedProduct(r, 1, grads[j]);
        }
      }
      for (int j = 0; j < t; j++) {
        grads[j][d] += chunkRsum[j];
        losses[j] += chunkLoss[j];
      }
    }
    return losses;
  }

  /** Logits {@code z_i = w·x_i + b} of every row of the block, in chunks, into {@code out}. */
  private void logits(double[] theta, DataBlock block, double[] out) {
    int n = block.numRows();
    Inputs in = Inputs.of(block, null, n);
    double[][] thetas = {theta};
    double[] z = new double[Math.min(Inputs.CHUNK, n)];
    for (int start = 0; start < n; start += Inputs.CHUNK) {
      int b = Math.min(Inputs.CHUNK, n - start);
      in.load(start, b);
      in.multiplyTransposed(thetas, 1, z);
      for (int i = 0; i < b; i++) out[start + i] = z[i] + theta[d];
    }
  }

  @Override
  public void addEvaluation(double[] theta, DataBlock block, double[] out) {
    checkTheta(theta, block);
    int n = block.numRows();
    double[] z = new double[n];
    logits(theta, block, z);
    double loss = 0, correct = 0;
    for (int i = 0; i < n; i++) {
      int y = (int) block.label(i);
      Losses.checkLabel(y, 2);
      loss += Losses.logistic(z[i], y);
      if ((z[i] >= 0 ? 1 : 0) == y) correct++;
    }
    out[0] += loss;
    out[1] += correct;
  }

  @Override
  public void scores(double[] theta, DataBlock block, double[] out) {
    checkTheta(theta, block);
    int n = block.numRows();
    logits(theta, block, out);
    for (int i = 0; i < n; i++) out[i] = Kernels.sigmoid(out[i]);
  }

  @Override
  public double penalty(double[] theta, double[] grad) {
    if (l2 == 0) return 0;
    double s = 0;
    for (int l = 0; l < d; l++) s += theta[l] * theta[l];
    if (grad != null) for (int l = 0; l < d; l++) grad[l] += l2 * theta[l];
    return 0.5 * l2 * s;
  }

  /**
   * The weights of the given features, then the intercept. The kernel on CSR rows reads no
   * other coordinate: {@code z} is the sum over the row's non-zeros of {@code x_l·w_l} plus
   * {@code b} ({@link Inputs}' sparse product), and the gradient is scattered to the same
   * coordinates.
   */
  @Override
  public int[] touchedParameters(int[] sortedFeatures) {
    int[] out = java.util.Arrays.copyOf(sortedFeatures, sortedFeatures.length + 1);
    out[sortedFeatures.length] = d;
    return out;
  }

  /** All zeros (the objective is convex; the seed is not used). */
  @Override
  public double[] initialParameters(long seed) {
    return new double[d + 1];
  }

  private void checkTheta(double[] theta, DataBlock block) {
    Inputs.checkShapes(d + 1, d, new double[][] {theta}, null, block);
  }

  private void checkShapes(double[][] thetas, double[][] grads, DataBlock block) {
    Inputs.checkShapes(d + 1, d, thetas, grads, block);
  }
}
