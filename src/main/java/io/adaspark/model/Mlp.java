package io.adaspark.model;

import io.adaspark.data.DataBlock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fully connected network with softmax cross-entropy output: sizes {@code [d, h_1, …, h_{L-1},
 * K]}, hidden activations {@code act_1 … act_{L-1}} ({@link Activation}).
 *
 * <pre>
 *   h_0 = x;   h_l = act_l(W_l h_{l-1} + b_l)  (l = 1..L-1);   z = W_L h_{L-1} + b_L
 *   loss(x, y) = logsumexp(z) - z[y]            (max-shifted)
 *   penalty    = 0.5·l2·Σ_l ‖W_l‖²               (biases excluded)
 * </pre>
 *
 * With no hidden layer ({@code L = 1}) this is multinomial logistic regression
 * ({@link #softmaxRegression}). Binary problems use K = 2 output units.
 *
 * <p><b>Layout</b> of θ, layer by layer: {@code W_l[out][in]} row-major, then {@code b_l[out]}
 * (for softmax regression: {@code W[K][d]} then {@code b[K]}).
 *
 * <p><b>Kernels</b>, per chunk of rows ({@link Inputs}), activations row-major {@code b × width}:
 * the first layer of all T parameter vectors in one pass {@code X·[W1_1; …; W1_T]ᵀ}; then per
 * vector the later layers {@code H_l = act(H_{l-1} W_lᵀ + b_l)} with BLAS dgemm, the softmax
 * gradient {@code Δ_L = softmax(z) - onehot(y)}, and back-propagation
 * {@code ∇W_l += Δ_lᵀ H_{l-1}}, {@code ∇b_l += Σ_i Δ_l}, {@code Δ_{l-1} = (Δ_l W_l) ⊙ act'}
 * (dgemm), the first-layer gradient {@code Δ_1ᵀ X} on dense rows (each weight a sequential sum
 * in row order, {@code Inputs}) or CSR rows (scatter).
 * The single-vector {@link #addLossGradient} is the fused kernel with T = 1, so both are
 * bit-identical.
 *
 * <p><b>Initialization</b> ({@link #initialParameters}, {@link SplittableRandom} seeded with the
 * seed, layer by layer, weights row-major): a layer followed by tanh or sigmoid, and the output
 * layer, are Glorot-uniform {@code U(-a, a)}, {@code a = sqrt(6/(in+out))} (variance
 * {@code 2/(in+out)}); a layer followed by relu is He-normal {@code N(0, 2/in)}; biases are 0.
 * Softmax regression starts at all zeros.
 *
 * <p><b>Scores</b>: only a two-class network ranks rows ({@link BinaryScorer}, for AUC); build it
 * with {@link #of} or {@link #softmaxRegression}, which return a {@link Binary} for K = 2. A
 * network of more classes has no scoring path at all.
 */
public sealed class Mlp extends FusedModel permits Mlp.Binary {
  private static final long serialVersionUID = 1L;
  private final int[] sizes;
  private final Activation[] activations;
  private final double l2;
  private final boolean zeroInit;
  private final int[] wOff;
  private final int[] bOff;
  private final int numParams;

  /**
   * A network that does not score rows, whatever K ({@link #of} gives a two-class network its scores).
   *
   * @param sizes {@code [d, hidden…, K]}, every size >= 1, K >= 2
   * @param activations one per hidden layer ({@code sizes.length - 2})
   * @param l2 weight penalty coefficient
   */
  public Mlp(int[] sizes, Activation[] activations, double l2) {
    this(sizes, activations, l2, false);
  }

  /** As {@link #Mlp(int[], Activation[], double)}; a {@link Binary} (which scores rows) when K = 2. */
  public static Mlp of(int[] sizes, Activation[] activations, double l2) {
    return of(sizes, activations, l2, false);
  }

  private static Mlp of(int[] sizes, Activation[] activations, double l2, boolean zeroInit) {
    return sizes.length > 0 && sizes[sizes.length - 1] == 2
        ? new Binary(sizes, activations, l2, zeroInit) : new Mlp(sizes, activations, l2, zeroInit);
  }

  private Mlp(int[] sizes, Activation[] activations, double l2, boolean zeroInit) {
    if (sizes.length < 2 || activations.length != sizes.length - 2) {
      throw new IllegalArgumentException("Mlp: " + sizes.length + " sizes need " + (sizes.length - 2)
          + " activations, got " + activations.length);
    }
    for (int s : sizes) if (s < 1) throw new IllegalArgumentException("Mlp: sizes must be >= 1, got " + Arrays.toString(sizes));
    if (sizes[sizes.length - 1] < 2) throw new IllegalArgumentException("Mlp: need at least 2 classes");
    this.sizes = sizes.clone();
    this.activations = activations.clone();
    this.l2 = l2;
    this.zeroInit = zeroInit;
    int layers = sizes.length - 1;
    wOff = new int[layers];
    bOff = new int[layers];
    long p = 0;
    for (int l = 0; l < layers; l++) {
      wOff[l] = (int) p;
      p += (long) sizes[l] * sizes[l + 1];
      bOff[l] = (int) p;
      p += sizes[l + 1];
    }
    if (p > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("Mlp: too many parameters: " + p);
    numParams = (int) p;
  }

  /**
   * Multinomial logistic regression: {@code W[K][d]}, {@code b[K]}, zero initialization (a
   * {@link Binary} for K = 2).
   */
  public static Mlp softmaxRegression(int numFeatures, int numClasses, double l2) {
    return of(new int[] {numFeatures, numClasses}, new Activation[0], l2, true);
  }

  /**
   * The first layer's weights {@code W₁[o][f]} of the given features for every unit o (CSR rows
   * reach the first layer only through their non-zeros), then every parameter from the first
   * layer's biases on. The kernel on CSR rows reads no other coordinate: the first layer's
   * product and gradient ({@link Inputs}' sparse forms) index {@code W₁[o][f]} only at the
   * rows' non-zero features f, and everything after it (biases, later layers) is in the set.
   */
  @Override
  public int[] touchedParameters(int[] sortedFeatures) {
    int d = sizes[0], out = sizes[1], m = sortedFeatures.length;
    long size = (long) out * m + (numParams - bOff[0]);
    if (size > Integer.MAX_VALUE - 8) return null;
    int[] idx = new int[(int) size];
    int t = 0;
    for (int o = 0; o < out; o++) {
      for (int f : sortedFeatures) idx[t++] = o * d + f;
    }
    for (int i = bOff[0]; i < numParams; i++) idx[t++] = i;
    return idx;
  }

  @Override public int numParams() { return numParams; }
  @Override public int numFeatures() { return sizes[0]; }
  @Override public int numClasses() { return sizes[sizes.length - 1]; }

  /**
   * Per layer {@code W[out][in]} then {@code b[out]}: named {@code W}, {@code b} without a hidden
   * layer (softmax regression), else {@code W1, b1, W2, b2, …}.
   */
  @Override
  public io.adaspark.optim.ParamBlocks paramBlocks() {
    List<Object> parts = new java.util.ArrayList<>();
    for (int l = 0; l < layers(); l++) {
      String suffix = layers() == 1 ? "" : Integer.toString(l + 1);
      parts.add("W" + suffix);
      parts.add(new int[] {sizes[l + 1], sizes[l]});
      parts.add("b" + suffix);
      parts.add(new int[] {sizes[l + 1]});
    }
    return io.adaspark.optim.ParamBlocks.of(parts.toArray());
  }

  /** {@code [d, hidden…, K]} (a copy). */
  public int[] sizes() { return sizes.clone(); }

  public double l2() { return l2; }

  /** Hidden activations, one per hidden layer (a copy). */
  public Activation[] activations() { return activations.clone(); }

  private int layers() { return sizes.length - 1; }

  /** Scratch of one call: per-layer outputs and deltas of one parameter vector on one chunk. */
  private final class Work {
    final Inputs in;
    final int cb;
    final double[] first;      // T × cb × h_1: the fused first-layer products
    final double[][] h;        // h[l]: cb × sizes[l+1], outputs of layer l (h[L-1] = logits)
    final double[] delta;
    final double[] deltaPrev;

    Work(DataBlock block, int[] rows, int count, int t) {
      in = Inputs.of(block, rows, count);
      cb = Math.max(1, Math.min(Inputs.CHUNK, count));
      first = new double[t * cb * sizes[1]];
      h = new double[layers()][];
      int widest = 1;
      for (int l = 0; l < layers(); l++) {
        h[l] = new double[cb * sizes[l + 1]];
        widest = Math.max(widest, sizes[l + 1]);
      }
      delta = new double[cb * widest];
      deltaPrev = new double[cb * widest];
    }

    /** Forward pass of parameter vector j on the current chunk of b rows, after the fused product. */
    void forward(double[] theta, int j, int b) {
      int last = layers() - 1;
      int m = sizes[1];
      System.arraycopy(first, j * b * m, h[0], 0, b * m);
      for (int l = 0; ; l++) {
        int out = sizes[l + 1];
        double[] hl = h[l];
        for (int i = 0; i < b; i++) {
          for (int o = 0; o < out; o++) hl[i * out + o] += theta[bOff[l] + o];
        }
        if (l == last) return;
        activations[l].apply(hl, b * out);
        int in = sizes[l + 1], next = sizes[l + 2];
        // row-major H_{l+1} (b × next) = H_l (b × in) · W_{l+1}ᵀ; column-major: Wᵀ (next × in) · H
        Inputs.BLAS_INSTANCE.dgemm("T", "N", next, b, in, 1.0, theta, wOff[l + 1], in,
            hl, 0, in, 0.0, h[l + 1], 0, next);
      }
    }
  }

  @Override
  public double[] addLossGradientFused(double[][] thetas, DataBlock block, int[] rows, int count,
                                       double[][] grads) {
    Inputs.checkShapes(numParams, sizes[0], thetas, grads, block);
    int t = thetas.length;
    double[] losses = new double[t];
    Work w = new Work(block, rows, count, t);
    int k = numClasses(), last = layers() - 1;
    for (int start = 0; start < count; start += Inputs.CHUNK) {
      int b = Math.min(Inputs.CHUNK, count - start);
      w.in.load(start, b);
      w.in.multiplyTransposed(thetas, sizes[1], w.first);
      for (int j = 0; j < t; j++) {
        double[] theta = thetas[j], grad = grads[j];
        w.forward(theta, j, b);
        double[] z = w.h[last];
        double loss = 0;
        for (int i = 0; i < b; i++) loss += Losses.softmaxInPlace(z, i * k, k, w.in.label(i));
        losses[j] += loss;
        double[] delta = z;  // softmax - onehot, b × K
        for (int l = last; l >= 0; l--) {
          int out = sizes[l + 1], in = sizes[l];
          for (int i = 0; i < b; i++) {
            for (int o = 0; o < out; o++) grad[bOff[l] + o] += delta[i * out + o];
          }
          if (l == 0) {
            w.in.addTransposedProduct(delta, out, grad);
            break;
          }
          double[] hPrev = w.h[l - 1];
          // ∇W_l (out × in, row-major) += Δᵀ H_{l-1}; column-major: H (in × b) · Δᵀ (b × out)
          Inputs.BLAS_INSTANCE.dgemm("N", "T", in, out, b, 1.0, hPrev, 0, in, delta, 0, out,
              1.0, grad, wOff[l], in);
          // Δ_{l-1} (b × in) = Δ (b × out) · W_l; column-major: W (in × out) · Δ (out × b)
          double[] next = delta == w.delta ? w.deltaPrev : w.delta;
          Inputs.BLAS_INSTANCE.dgemm("N", "N", in, b, out, 1.0, theta, wOff[l], in, delta, 0, out,
              0.0, next, 0, in);
          activations[l - 1].multiplyDerivative(hPrev, next, b * in);
          delta = next;
        }
      }
    }
    return losses;
  }

  /** Runs the forward pass of θ on every row of the block, handing each chunk's logits over. */
  private void forwardAll(double[] theta, DataBlock block, ChunkConsumer consumer) {
    Inputs.checkShapes(numParams, sizes[0], new double[][] {theta}, null, block);
    int n = block.numRows();
    Work w = new Work(block, null, n, 1);
    double[][] thetas = {theta};
    for (int start = 0; start < n; start += Inputs.CHUNK) {
      int b = Math.min(Inputs.CHUNK, n - start);
      w.in.load(start, b);
      w.in.multiplyTransposed(thetas, sizes[1], w.first);
      w.forward(theta, 0, b);
      consumer.accept(start, b, w.h[layers() - 1]);
    }
  }

  private interface ChunkConsumer {
    void accept(int start, int b, double[] logits);
  }

  @Override
  public void addEvaluation(double[] theta, DataBlock block, double[] out) {
    int k = numClasses();
    double[] sums = new double[2];
    forwardAll(theta, block, (start, b, z) -> {
      for (int i = 0; i < b; i++) {
        int y = (int) block.label(start + i);
        if (Losses.argmax(z, i * k, k) == y) sums[1]++;
        sums[0] += Losses.softmaxInPlace(z, i * k, k, y);
      }
    });
    out[0] += sums[0];
    out[1] += sums[1];
  }

  @Override
  public double penalty(double[] theta, double[] grad) {
    if (l2 == 0) return 0;
    double s = 0;
    for (int l = 0; l < layers(); l++) {
      for (int p = wOff[l]; p < bOff[l]; p++) {
        s += theta[p] * theta[p];
        if (grad != null) grad[p] += l2 * theta[p];
      }
    }
    return 0.5 * l2 * s;
  }

  @Override
  public double[] initialParameters(long seed) {
    double[] theta = new double[numParams];
    if (zeroInit) return theta;
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < layers(); l++) {
      int in = sizes[l], out = sizes[l + 1];
      boolean he = l < activations.length && activations[l] == Activation.RELU;
      double scale = he ? Math.sqrt(2.0 / in) : Math.sqrt(6.0 / (in + out));
      for (int p = wOff[l]; p < bOff[l]; p++) {
        theta[p] = he ? scale * rng.nextGaussian() : scale * (2 * rng.nextDouble() - 1);
      }
    }
    return theta;
  }

  /** A two-class network: it scores rows, {@code P(y = 1 | x) = softmax(z)[1] = σ(z_1 − z_0)}. */
  public static final class Binary extends Mlp implements BinaryScorer {
    private static final long serialVersionUID = 1L;

    private Binary(int[] sizes, Activation[] activations, double l2, boolean zeroInit) {
      super(sizes, activations, l2, zeroInit);
    }

    @Override
    public void scores(double[] theta, DataBlock block, double[] out) {
      super.forwardAll(theta, block, (start, b, z) -> {
        for (int i = 0; i < b; i++) out[start + i] = Kernels.sigmoid(z[2 * i + 1] - z[2 * i]);
      });
    }
  }
}
