package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.fail;

import io.adaspark.data.DenseBlock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dense fused product of {@link Inputs} against plain references: below {@link Inputs#WIDE}
 * outputs every output bit for bit equal to {@link Kernels#dot} of its row and weight row
 * (computed in fours and pairs sharing the row's loads), from {@link Inputs#WIDE} on (an MLP's
 * first layer) equal to the plain sequential sum {@code s = 0; for l: s = fma(x_l, w_l, s)} — whatever
 * d, the row selection and the other parameter vectors.
 */
class InputsKernelsTest {

  static double[] values(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.exp(4 * r.nextGaussian());
    return v;
  }

  static void same(double expected, double actual, String what) {
    if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
      fail(what + ": " + expected + " vs " + actual);
    }
  }

  @Test
  void fusedProductIsTheDotOfEveryRowAndOutput() {
    SplittableRandom r = new SplittableRandom(9);
    for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 31, 100, 785}) {
      for (int m : new int[] {1, 2, 3, 7, 8, 9, 16, 33, 64}) {
        int n = 300;  // more than one chunk
        double[] x = values(r, n * d);
        if (d > 2) x[5] = 0.0;
        DenseBlock block = new DenseBlock(n, d, x, new double[n]);
        double[][] thetas = {values(r, m * d + 3), values(r, m * d), values(r, m * d)};
        thetas[1][0] = Double.NaN;  // must not leak into the others' outputs
        thetas[2][m * d - 1] = -0.0;
        for (int[] rows : new int[][] {null, {4, 1, 299, 4, 17}}) {
          int count = rows == null ? n : rows.length;
          Inputs in = Inputs.of(block, rows, count);
          double[] out = new double[thetas.length * Inputs.CHUNK * m];
          for (int start = 0; start < count; start += Inputs.CHUNK) {
            int b = Math.min(Inputs.CHUNK, count - start);
            in.load(start, b);
            in.multiplyTransposed(thetas, m, out);
            for (int j = 0; j < thetas.length; j++) {
              for (int i = 0; i < b; i++) {
                int row = rows == null ? start + i : rows[start + i];
                for (int o = 0; o < m; o++) {
                  double ref = m >= Inputs.WIDE
                      ? DenseKernelsTest.naiveSequential(x, row * d, thetas[j], o * d, d)
                      : Kernels.dot(x, row * d, thetas[j], o * d, d);
                  same(ref, out[(j * b + i) * m + o],
                      "d " + d + " m " + m + " theta " + j + " row " + row + " output " + o);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void transposedProductAddsEveryRowInRowOrder() {
    // G[r][l] += Σ_i dZ[i][r]·x_il for m ≥ 2 (softmax regression, an MLP's first layer): one
    // sequential sum of fused multiply-adds per weight in the order of the selected rows, across
    // chunks, from G's value
    SplittableRandom r = new SplittableRandom(11);
    for (int d : new int[] {1, 3, 8, 17, 100}) {
      for (int m : new int[] {2, 3, 8, 9, 16, 33}) {
        int n = 300;
        double[] x = values(r, n * d);
        DenseBlock block = new DenseBlock(n, d, x, new double[n]);
        for (int[] rows : new int[][] {null, {4, 1, 299, 4, 17}}) {
          int count = rows == null ? n : rows.length;
          double[] dz = values(r, count * m);
          dz[0] = Double.NaN;
          double[] g0 = values(r, m * d);
          double[] grad = g0.clone();
          Inputs in = Inputs.of(block, rows, count);
          for (int start = 0; start < count; start += Inputs.CHUNK) {
            int b = Math.min(Inputs.CHUNK, count - start);
            in.load(start, b);
            in.addTransposedProduct(java.util.Arrays.copyOfRange(dz, start * m, (start + b) * m), m, grad);
          }
          for (int o = 0; o < m; o++) {
            for (int l = 0; l < d; l++) {
              double ref = g0[o * d + l];
              for (int i = 0; i < count; i++) {
                int row = rows == null ? i : rows[i];
                ref = Math.fma(dz[i * m + o], x[row * d + l], ref);
              }
              same(ref, grad[o * d + l], "d " + d + " m " + m + " weight " + o + "," + l);
            }
          }
        }
      }
    }
  }
}
