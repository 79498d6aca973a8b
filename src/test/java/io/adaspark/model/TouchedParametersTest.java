package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.data.CsrBlock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Model#touchedParameters} that lets a step ship only those
 * coordinates: on CSR rows the fused kernel reads no other coordinate of θ. With every other
 * coordinate NaN, the losses and gradients keep their bits (and the gradient outside the set
 * is exactly {@code +0.0}); a NaN inside the set does show (so the test can fail).
 */
class TouchedParametersTest {
  static final int D = 20;

  /** Six rows over 20 features, a few non-zeros each (row 4 has none); labels in 0..classes-1. */
  static CsrBlock block(int classes) {
    int[][] feats = {{1, 5, 7}, {0, 2, 19}, {3, 5, 11, 12}, {7, 8}, {}, {13, 17}};
    int[] indptr = new int[feats.length + 1];
    for (int i = 0; i < feats.length; i++) indptr[i + 1] = indptr[i] + feats[i].length;
    int[] idx = new int[indptr[feats.length]];
    double[] val = new double[idx.length];
    double[] y = new double[feats.length];
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0, p = 0; i < feats.length; i++) {
      y[i] = i % classes;
      for (int f : feats[i]) {
        idx[p] = f;
        val[p++] = r.nextDouble() * 2 - 1;
      }
    }
    return new CsrBlock(feats.length, D, indptr, idx, val, y);
  }

  static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
    return b;
  }

  record Run(double[] losses, double[][] grads) {}

  static Run run(Model model, double[][] thetas, CsrBlock block, int[] rows) {
    double[][] g = new double[thetas.length][model.numParams()];
    return new Run(model.addLossGradientFused(thetas, block, rows, rows.length, g), g);
  }

  @Test
  void theKernelReadsOnlyTheTouchedParameters() {
    List<Model> models = List.of(new BinaryLogisticRegression(D, 0.1),
        Mlp.softmaxRegression(D, 3, 0.1),
        Mlp.softmaxRegression(D, 2, 0.0),
        Mlp.of(new int[] {D, 4, 2}, new Activation[] {Activation.TANH}, 0.01),
        new Mlp(new int[] {D, 9, 3}, new Activation[] {Activation.RELU}, 0.0),  // first layer at least Inputs.WIDE
        new Mlp(new int[] {D, 6, 5, 4}, new Activation[] {Activation.SIGMOID, Activation.TANH}, 0.0));
    int[][] selections = {{0, 2, 3}, {1, 4}, {5}, {0, 1, 2, 3, 4, 5}};
    for (Model model : models) {
      CsrBlock block = block(model.numClasses());
      for (int[] rows : selections) {
        TreeSet<Integer> fs = new TreeSet<>();
        for (int row : rows) {
          for (int p = block.indptr()[row]; p < block.indptr()[row + 1]; p++) fs.add(block.indices()[p]);
        }
        int[] touched = model.touchedParameters(fs.stream().mapToInt(Integer::intValue).toArray());
        assertNotNull(touched);
        String what = model.getClass().getSimpleName() + " n = " + model.numParams() + ", rows "
            + Arrays.toString(rows);
        assertTrue(touched.length < model.numParams(), what + ": some coordinates are not touched");
        SplittableRandom r = new SplittableRandom(9);
        double[][] th = new double[2][model.numParams()];
        for (double[] t : th) for (int i = 0; i < t.length; i++) t[i] = r.nextGaussian() * 0.5;
        double[][] nan = new double[2][];
        for (int j = 0; j < 2; j++) {
          nan[j] = th[j].clone();
          for (int i = 0; i < nan[j].length; i++) if (Arrays.binarySearch(touched, i) < 0) nan[j][i] = Double.NaN;
        }
        Run ref = run(model, th, block, rows);
        Run got = run(model, nan, block, rows);
        assertArrayEquals(bits(ref.losses()), bits(got.losses()), what + ": losses");
        for (int j = 0; j < 2; j++) {
          assertArrayEquals(bits(ref.grads()[j]), bits(got.grads()[j]), what + ": gradient of run " + j);
          for (int i = 0; i < model.numParams(); i++) {
            if (Arrays.binarySearch(touched, i) < 0) {
              assertEquals(0L, Double.doubleToRawLongBits(got.grads()[j][i]), what + ": untouched gradient " + i);
            }
          }
        }
        // a NaN at a touched first-layer weight of a row's feature does reach the loss
        double[][] poisoned = new double[][] {th[0].clone()};
        poisoned[0][touched[0]] = Double.NaN;
        boolean hasRows = fs.size() > 0;
        if (hasRows) assertTrue(Double.isNaN(run(model, poisoned, block, rows).losses()[0]), what + ": NaN read");
        assertFalse(Double.isNaN(ref.losses()[0]), what);
      }
    }
  }
}
