package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernels of every model against a plain per-row reference written here, central finite
 * differences, dense vs CSR, and the fused evaluation's bit-identity.
 */
class ModelKernelsTest {
  static final int N = 300;  // more than one chunk of Inputs.CHUNK rows
  static final int D = 7;

  record Case(String name, ModelConfig config, int classes) {
    @Override public String toString() { return name; }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        new Case("logreg binary l2", new LogRegConfig(0.1, false), 2),
        new Case("logreg multinomial K=3 l2", new LogRegConfig(0.05, false), 3),
        new Case("logreg multinomial forced K=2", new LogRegConfig(0, true), 2),
        new Case("mlp tanh [5] binary l2", MlpConfig.of(List.of(5), "tanh", null, 0.01), 2),
        new Case("mlp relu [6,4] K=3", MlpConfig.of(List.of(6, 4), "relu", null, null), 3),
        new Case("mlp sigmoid [4] K=3 l2", MlpConfig.of(List.of(4), "sigmoid", null, 0.02), 3),
        new Case("mlp tanh,relu [5,3] K=4", MlpConfig.of(List.of(5, 3), null, List.of("tanh", "relu"), null), 4),
        new Case("mlp relu,sigmoid [3,4] binary", MlpConfig.of(List.of(3, 4), null, List.of("relu", "sigmoid"), 0.1), 2),
        // first layers of Inputs.WIDE units and more: the outer-product kernel (Kernels.addOuterProducts)
        new Case("mlp sigmoid [64] binary", MlpConfig.of(List.of(64), "sigmoid", null, null), 2),
        new Case("mlp tanh,relu [9,5] K=3 l2", MlpConfig.of(List.of(9, 5), null, List.of("tanh", "relu"), 0.01), 3))
        .map(Arguments::of);
  }

  /** Dense data with about 40% zeros (so the CSR copy really is sparse). */
  static DenseBlock data(long seed, int n, int d, int classes) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() < 0.4 ? 0 : r.nextGaussian();
    for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
    return new DenseBlock(n, d, x, y);
  }

  static double[] randomTheta(Model m, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] t = new double[m.numParams()];
    for (int i = 0; i < t.length; i++) t[i] = scale * r.nextGaussian();
    return t;
  }

  static int[] randomRows(long seed, int n, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) rows[i] = r.nextInt(n);
    return rows;
  }

  // ---------------------------------------------------------------- plain per-row reference

  /** Non-zeros of row i: indices and values (all d features for a dense row). */
  record Row(int[] idx, double[] val, int y) {}

  static Row row(DataBlock block, int i) {
    if (block instanceof CsrBlock c) {
      int p0 = c.indptr()[i], p1 = c.indptr()[i + 1];
      return new Row(java.util.Arrays.copyOfRange(c.indices(), p0, p1),
          java.util.Arrays.copyOfRange(c.values(), p0, p1), (int) c.label(i));
    }
    DenseBlock b = (DenseBlock) block;
    int d = b.numFeatures();
    int[] idx = new int[d];
    for (int l = 0; l < d; l++) idx[l] = l;
    return new Row(idx, java.util.Arrays.copyOfRange(b.x(), i * d, i * d + d), (int) b.label(i));
  }

  /** Summed loss and gradient, one row at a time, in the most direct form. */
  static double naive(Model model, double[] theta, DataBlock block, int[] rows, int count, double[] grad) {
    double loss = 0;
    for (int q = 0; q < count; q++) {
      Row row = row(block, rows == null ? q : rows[q]);
      loss += model instanceof Mlp mlp ? naiveMlpRow(mlp, theta, row, grad) : naiveLogregRow(model, theta, row, grad);
    }
    return loss;
  }

  static double naiveLogregRow(Model model, double[] theta, Row row, double[] grad) {
    int d = model.numFeatures();
    double z = theta[d];
    for (int p = 0; p < row.idx.length; p++) z += theta[row.idx[p]] * row.val[p];
    double prob = 1 / (1 + Math.exp(-z));
    double r = prob - row.y;
    for (int p = 0; p < row.idx.length; p++) grad[row.idx[p]] += r * row.val[p];
    grad[d] += r;
    return Math.log1p(Math.exp(z)) - row.y * z;
  }

  /** Forward pass of one row: outputs of every layer (the last are the logits). */
  static double[][] naiveForward(Mlp mlp, double[] theta, Row row) {
    int[] s = mlp.sizes();
    Activation[] act = mlp.activations();
    double[][] h = new double[s.length - 1][];
    int off = 0;
    for (int l = 0; l < s.length - 1; l++) {
      int in = s[l], out = s[l + 1];
      h[l] = new double[out];
      for (int o = 0; o < out; o++) {
        double a = theta[off + in * out + o];
        if (l == 0) {
          for (int p = 0; p < row.idx.length; p++) a += theta[off + o * in + row.idx[p]] * row.val[p];
        } else {
          for (int c = 0; c < in; c++) a += theta[off + o * in + c] * h[l - 1][c];
        }
        if (l < act.length) {
          a = switch (act[l]) {
            case TANH -> Math.tanh(a);
            case RELU -> Math.max(a, 0);
            case SIGMOID -> 1 / (1 + Math.exp(-a));
          };
        }
        h[l][o] = a;
      }
      off += in * out + out;
    }
    return h;
  }

  /** Logits of one row: the K outputs of an MLP, or {z} for binary logistic regression. */
  static double[] naiveLogits(Model model, double[] theta, Row row) {
    if (model instanceof Mlp mlp) {
      double[][] h = naiveForward(mlp, theta, row);
      return h[h.length - 1];
    }
    double z = theta[model.numFeatures()];
    for (int p = 0; p < row.idx.length; p++) z += theta[row.idx[p]] * row.val[p];
    return new double[] {z};
  }

  static double naiveMlpRow(Mlp mlp, double[] theta, Row row, double[] grad) {
    int[] s = mlp.sizes();
    Activation[] act = mlp.activations();
    int layers = s.length - 1;
    double[][] h = naiveForward(mlp, theta, row);
    double[] z = h[layers - 1];
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) max = Math.max(max, v);
    double sum = 0;
    for (double v : z) sum += Math.exp(v - max);
    double loss = max + Math.log(sum) - z[row.y];
    double[] delta = new double[z.length];
    for (int k = 0; k < z.length; k++) delta[k] = Math.exp(z[k] - max) / sum - (k == row.y ? 1 : 0);
    int[] off = new int[layers];
    for (int l = 1; l < layers; l++) off[l] = off[l - 1] + s[l - 1] * s[l] + s[l];
    for (int l = layers - 1; l >= 0; l--) {
      int in = s[l], out = s[l + 1];
      for (int o = 0; o < out; o++) {
        grad[off[l] + in * out + o] += delta[o];
        if (l == 0) {
          for (int p = 0; p < row.idx.length; p++) grad[off[l] + o * in + row.idx[p]] += delta[o] * row.val[p];
        } else {
          for (int c = 0; c < in; c++) grad[off[l] + o * in + c] += delta[o] * h[l - 1][c];
        }
      }
      if (l == 0) break;
      double[] prev = new double[in];
      for (int c = 0; c < in; c++) {
        double g = 0;
        for (int o = 0; o < out; o++) g += theta[off[l] + o * in + c] * delta[o];
        double hv = h[l - 1][c];
        prev[c] = g * switch (act[l - 1]) {
          case TANH -> 1 - hv * hv;
          case RELU -> hv > 0 ? 1 : 0;
          case SIGMOID -> hv * (1 - hv);
        };
      }
      delta = prev;
    }
    return loss;
  }

  // ---------------------------------------------------------------- helpers

  static void assertClose(double[] expected, double[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(Math.abs(expected[i]), scale);
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i] + " (tol " + tol + ")");
      }
    }
  }

  /**
   * Same bits, NaNs collapsed to one (doubleToLongBits): the JVM does not preserve NaN sign and
   * payload (interpreted and JIT-compiled code produce different NaN bit patterns).
   */
  static void assertBitIdentical(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
        fail(what + ": element " + i + " differs: " + expected[i] + " vs " + actual[i]);
      }
    }
  }

  /** Mean objective (summed loss / count + penalty) and its gradient. */
  static double objective(Model m, double[] theta, DataBlock block, int[] rows, int count, double[] grad) {
    java.util.Arrays.fill(grad, 0);
    double loss = m.addLossGradient(theta, block, rows, count, grad);
    for (int i = 0; i < grad.length; i++) grad[i] /= count;
    return loss / count + m.penalty(theta, grad);
  }

  // ---------------------------------------------------------------- tests

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void blockKernelMatchesPlainPerRowLoop(Case c) {
    DenseBlock dense = data(11, N, D, c.classes);
    CsrBlock csr = CsrBlock.fromDense(dense);
    Model m = c.config.build(D, c.classes);
    double[] theta = randomTheta(m, 3, 0.7);
    int[] rows = randomRows(5, N, 270);
    for (DataBlock block : new DataBlock[] {dense, csr}) {
      for (int[] sel : new int[][] {null, rows}) {
        int count = sel == null ? N : sel.length;
        double[] g = new double[m.numParams()], gRef = new double[m.numParams()];
        double loss = m.addLossGradient(theta, block, sel, count, g);
        double ref = naive(m, theta, block, sel, count, gRef);
        String what = c + (block == csr ? " csr" : " dense") + (sel == null ? " all rows" : " row subset");
        assertClose(new double[] {ref}, new double[] {loss}, 1e-12, what + " loss");
        assertClose(gRef, g, 1e-12, what + " grad");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void denseAndCsrKernelsAgree(Case c) {
    DenseBlock dense = data(21, N, D, c.classes);
    CsrBlock csr = CsrBlock.fromDense(dense);
    assertTrue(csr.nnz() < 0.7 * N * D, "test data should be sparse");
    Model m = c.config.build(D, c.classes);
    double[] theta = randomTheta(m, 4, 0.5);
    double[] gd = new double[m.numParams()], gs = new double[m.numParams()];
    int[] rows = randomRows(8, N, 100);
    double ld = m.addLossGradient(theta, dense, rows, rows.length, gd);
    double ls = m.addLossGradient(theta, csr, rows, rows.length, gs);
    assertClose(new double[] {ld}, new double[] {ls}, 1e-12, c + " loss");
    assertClose(gd, gs, 1e-12, c + " grad");
    double[] ed = new double[2], es = new double[2];
    m.addEvaluation(theta, dense, ed);
    m.addEvaluation(theta, csr, es);
    assertClose(ed, es, 1e-12, c + " evaluation");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesCentralFiniteDifferences(Case c) {
    DenseBlock dense = data(31, 40, D, c.classes);
    Model m = c.config.build(D, c.classes);
    for (DataBlock block : new DataBlock[] {dense, CsrBlock.fromDense(dense)}) {
      for (long seed = 1; seed <= 3; seed++) {
        double[] theta = randomTheta(m, 100 + seed, 0.8);
        double[] g = new double[m.numParams()], scratch = new double[m.numParams()];
        objective(m, theta, block, null, 40, g);
        double[] fd = new double[g.length];
        double h = 1e-5;
        for (int p = 0; p < theta.length; p++) {
          double keep = theta[p];
          theta[p] = keep + h;
          double up = objective(m, theta, block, null, 40, scratch);
          theta[p] = keep - h;
          double down = objective(m, theta, block, null, 40, scratch);
          theta[p] = keep;
          fd[p] = (up - down) / (2 * h);
        }
        assertClose(fd, g, 1e-6, c + (block == dense ? " dense" : " csr") + " seed " + seed);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fusedIsBitIdenticalToSingleCallsWhateverTheOtherVectors(Case c) {
    DenseBlock dense = data(41, N, D, c.classes);
    Model m = c.config.build(D, c.classes);
    double[][] thetas = new double[5][];
    for (int j = 0; j < 5; j++) thetas[j] = randomTheta(m, 200 + j, 0.6);
    thetas[2][1] = Double.NaN;
    java.util.Arrays.fill(thetas[3], 0, m.numParams() / 2, 1e300);
    thetas[4][0] = Double.POSITIVE_INFINITY;
    int[] rows = randomRows(9, N, 290);
    for (DataBlock block : new DataBlock[] {dense, CsrBlock.fromDense(dense)}) {
      for (int[] sel : new int[][] {null, rows}) {
        int count = sel == null ? N : sel.length;
        double[][] grads = new double[5][m.numParams()];
        double[] losses = m.addLossGradientFused(thetas, block, sel, count, grads);
        for (int j = 0; j < 5; j++) {
          double[] g = new double[m.numParams()];
          double loss = m.addLossGradient(thetas[j], block, sel, count, g);
          String what = c + " theta " + j + (block == dense ? " dense" : " csr") + (sel == null ? "" : " rows");
          assertBitIdentical(new double[] {loss}, new double[] {losses[j]}, what + " loss");
          assertBitIdentical(g, grads[j], what + " grad");
        }
        // a different K and different companions: theta 0 alone vs with 1 and the NaN one
        double[][] pair = {thetas[2], thetas[0], thetas[1]};
        double[][] pg = new double[3][m.numParams()];
        double[] pl = m.addLossGradientFused(pair, block, sel, count, pg);
        assertBitIdentical(new double[] {losses[0], losses[1]}, new double[] {pl[1], pl[2]}, c + " K=3 losses");
        assertBitIdentical(grads[0], pg[1], c + " K=3 grad 0");
        assertBitIdentical(grads[1], pg[2], c + " K=3 grad 1");
      }
      // sanity: the finite vectors gave finite results, the NaN one did not
      double[][] g2 = new double[2][m.numParams()];
      double[] l2 = m.addLossGradientFused(new double[][] {thetas[0], thetas[2]}, block, null, N, g2);
      assertTrue(Double.isFinite(l2[0]) && Double.isNaN(l2[1]), c + ": " + l2[0] + ", " + l2[1]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluationCountsLossAndCorrectPredictions(Case c) {
    DenseBlock dense = data(51, N, D, c.classes);
    Model m = c.config.build(D, c.classes);
    double[] theta = randomTheta(m, 7, 0.9);
    double[] out = {1.5, 2};  // added to, not overwritten
    m.addEvaluation(theta, dense, out);
    double lossRef = naive(m, theta, dense, null, N, new double[m.numParams()]);
    int correct = 0;
    for (int i = 0; i < N; i++) {
      Row row = row(dense, i);
      double[] z = naiveLogits(m, theta, row);
      int pred = 0;
      if (z.length == 1) {
        pred = z[0] >= 0 ? 1 : 0;
      } else {
        for (int k = 1; k < z.length; k++) if (z[k] > z[pred]) pred = k;
      }
      if (pred == row.y) correct++;
    }
    assertClose(new double[] {1.5 + lossRef}, new double[] {out[0]}, 1e-12, c + " loss");
    assertEquals(2.0 + correct, out[1], c + " correct");
    assertTrue(correct > 0 && correct < N, "degenerate test data: " + correct);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void binaryScoresAreProbabilitiesOfClassOne(Case c) {
    DenseBlock dense = data(61, N, D, c.classes);
    Model m = c.config.build(D, c.classes);
    double[] theta = randomTheta(m, 8, 0.9);
    double[] s = new double[N];
    if (c.classes != 2) {
      // Issue 19: a model of more than two classes has no scoring path at all (it used to throw).
      assertFalse(m instanceof BinaryScorer, c + " scores rows");
      return;
    }
    ((BinaryScorer) m).scores(theta, dense, s);
    double[] ref = new double[N];
    for (int i = 0; i < N; i++) {
      double[] z = naiveLogits(m, theta, row(dense, i));
      ref[i] = z.length == 1 ? 1 / (1 + Math.exp(-z[0])) : Math.exp(z[1]) / (Math.exp(z[0]) + Math.exp(z[1]));
    }
    assertClose(ref, s, 1e-12, c + " scores");
  }

  @Test
  void stableLossesForHugeLogits() {
    Model bin = new LogRegConfig(0, false).build(1, 2);
    DenseBlock one = new DenseBlock(2, 1, new double[] {1, -1}, new double[] {0, 0});
    double[] g = new double[2];
    // z = ±1000: loss(z=1000, y=0) = 1000, loss(z=-1000, y=0) = 0 (no overflow to inf)
    double loss = bin.addLossGradient(new double[] {1000, 0}, one, null, 2, g);
    assertEquals(1000.0, loss, 1e-12);
    assertEquals(1.0, g[0], 1e-15);
    Model soft = new LogRegConfig(0, true).build(1, 3);
    DenseBlock row = new DenseBlock(1, 1, new double[] {1}, new double[] {2});
    double[] gs = new double[6];
    double ls = soft.addLossGradient(new double[] {1000, 999, 0, 0, 0, 0}, row, null, 1, gs);
    assertEquals(1000 + Math.log1p(Math.exp(-1)), ls, 1e-9);
  }

  @Test
  void wideSparseDataIsHandledWithoutDensifying() {
    int n = 2000, d = 200_000, nnzPerRow = 50;
    SplittableRandom r = new SplittableRandom(77);
    int[] indptr = new int[n + 1];
    int[] indices = new int[n * nnzPerRow];
    double[] values = new double[n * nnzPerRow];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < nnzPerRow; p++) {
        indices[i * nnzPerRow + p] = r.nextInt(d);
        values[i * nnzPerRow + p] = r.nextGaussian();
      }
      indptr[i + 1] = (i + 1) * nnzPerRow;
      y[i] = r.nextInt(2);
    }
    CsrBlock csr = new CsrBlock(n, d, indptr, indices, values, y);
    for (ModelConfig cfg : List.of(new LogRegConfig(1e-4, false), new LogRegConfig(0, true),
        MlpConfig.of(List.of(8), "relu", null, null))) {
      Model m = cfg.build(d, 2);
      double[] theta = randomTheta(m, 1, 0.05);
      double[] g = new double[m.numParams()], gRef = new double[m.numParams()];
      int[] rows = randomRows(3, n, 500);
      long t0 = System.nanoTime();
      double loss = m.addLossGradient(theta, csr, rows, rows.length, g);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      double ref = naive(m, theta, csr, rows, rows.length, gRef);
      assertClose(new double[] {ref}, new double[] {loss}, 1e-12, cfg + " loss");
      assertClose(gRef, g, 1e-12, cfg + " grad");
      System.out.printf("wide sparse %s: 500 rows, d=%d, %d params: %d ms%n", cfg, d, m.numParams(), ms);
    }
  }

  @Test
  void pairedDotProductHasExactlyTheSingleDotsOperations() {
    SplittableRandom r = new SplittableRandom(5);
    for (int n : new int[] {1, 3, 4, 7, 64, 785}) {
      double[] a = new double[n + 2], b = new double[3 * n + 1];
      for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian() * Math.exp(10 * r.nextGaussian());
      for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
      double[] out = new double[3];
      Kernels.dot2(a, 2, b, 1, n + 1, n, out, 1);
      assertBitIdentical(new double[] {Kernels.dot(a, 2, b, 1, n), Kernels.dot(a, 2, b, n + 1, n)},
          new double[] {out[1], out[2]}, "n = " + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void modelsSurviveJavaSerialization(Case c) throws Exception {
    Model m = c.config.build(D, c.classes);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(m);
      out.writeObject(c.config);
    }
    Model copy;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (Model) in.readObject();
      assertEquals(c.config, in.readObject());
    }
    DenseBlock dense = data(71, 50, D, c.classes);
    double[] theta = randomTheta(m, 9, 0.5);
    double[] g1 = new double[m.numParams()], g2 = new double[m.numParams()];
    assertBitIdentical(new double[] {m.addLossGradient(theta, dense, null, 50, g1)},
        new double[] {copy.addLossGradient(theta, dense, null, 50, g2)}, c + " loss");
    assertBitIdentical(g1, g2, c + " grad");
  }
}
