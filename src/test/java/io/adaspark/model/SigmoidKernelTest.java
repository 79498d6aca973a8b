package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#expNonPositive} and {@link Kernels#sigmoid(double[], int, int)} (the MLP's
 * sigmoid hidden units) against fdlibm's exp ({@link StrictMath#exp}, documented within 1 ulp
 * of the exact value) and exactly known values, and the SIMD form against the scalar form bit for
 * bit, specials included.
 */
class SigmoidKernelTest {

  /** Distance in ulps of two non-negative doubles (or NaN: fails unless both are NaN). */
  static long ulps(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
    return Math.abs(Double.doubleToLongBits(a) - Double.doubleToLongBits(b));
  }

  @Test
  void expIsWithinOneUlpOfFdlibmOverTheWholeRange() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 2_000_000, equal = 0;
    for (int i = 0; i < n; i++) {
      // uniform over [-746, 0] (normal and subnormal results, and 0), and magnitudes from 1e-320 to 1e3
      double t = i % 2 == 0 ? -746 * r.nextDouble() : -Math.exp(r.nextDouble() * 744 - 737);
      double e = Kernels.expNonPositive(t), ref = StrictMath.exp(t);
      long d = ulps(e, ref);
      if (d > 1) fail("exp(" + t + ") = " + e + ", fdlibm " + ref + ": " + d + " ulps apart");
      if (d == 0) equal++;
    }
    // 97.5 % are the same bits: the polynomial and the reduction are as accurate as fdlibm's
    assertTrue(equal > 0.95 * n, equal + " of " + n + " bit-equal to fdlibm");
  }

  @Test
  void expOfKnownValues() {
    assertEquals(1.0, Kernels.expNonPositive(0.0));
    assertEquals(1.0, Kernels.expNonPositive(-0.0));
    assertEquals(1.0, Kernels.expNonPositive(-1e-300));
    assertEquals(1.0, Kernels.expNonPositive(-Double.MIN_VALUE));
    // e^-1 = 0.367879441171442321595523770161460867..., rounded to the nearest double
    assertEquals(0x1.78b56362cef38p-2, Kernels.expNonPositive(-1.0));
    // e^-0.5 = 0.606530659712633423603799534991180453..., rounded up
    assertEquals(0x1.368b2fc6f960ap-1, Kernels.expNonPositive(-0.5));
    assertEquals(0.0, Kernels.expNonPositive(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, Kernels.expNonPositive(-746.0));
    assertEquals(0.0, Kernels.expNonPositive(-1e300));
    assertTrue(Double.isNaN(Kernels.expNonPositive(Double.NaN)));
    // the smallest subnormal and the edge of the normal range (2^-1022 at -1022·ln 2)
    assertEquals(Double.MIN_VALUE, Kernels.expNonPositive(-745.1332191019411));
    assertEquals(0.0, Kernels.expNonPositive(-745.1332191019412));
    assertEquals(StrictMath.exp(-708.4), Kernels.expNonPositive(-708.4));
    assertEquals(StrictMath.exp(-708.3964185322641), Kernels.expNonPositive(-708.3964185322641));
    for (int k = 0; k <= 1074; k++) {
      double t = -k * Math.log(2);
      assertTrue(ulps(Kernels.expNonPositive(t), StrictMath.exp(t)) <= 1, "exp(" + t + ")");
    }
  }

  @Test
  void sigmoidIsWithinTwoUlpOfTheFdlibmFormula() {
    SplittableRandom r = new SplittableRandom(12);
    for (int i = 0; i < 1_000_000; i++) {
      double z = r.nextGaussian() * Math.exp(3 * r.nextGaussian());
      double q = StrictMath.exp(-Math.abs(z));
      double ref = (z >= 0 ? 1.0 : q) / (1 + q);
      double s = Kernels.sigmoid(z);
      if (ulps(s, ref) > 2) fail("sigmoid(" + z + ") = " + s + ", with fdlibm's exp " + ref);
    }
    assertEquals(0.5, Kernels.sigmoid(0.0));
    assertEquals(0.5, Kernels.sigmoid(-0.0));
    assertEquals(1.0, Kernels.sigmoid(40.0));
    assertEquals(1.0, Kernels.sigmoid(Double.POSITIVE_INFINITY));
    assertEquals(0.0, Kernels.sigmoid(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, Kernels.sigmoid(-800.0));
    assertTrue(Double.isNaN(Kernels.sigmoid(Double.NaN)));
    // 1/(1 + e) at z = 1: e^-1 as above, 1/(1 + 0.36787944117144233) = 0.7310585786300049
    assertEquals(0.7310585786300049, Kernels.sigmoid(1.0));
  }

  @Test
  void sigmoidOfAnArrayIsTheScalarFormInEveryLane() {
    SplittableRandom r = new SplittableRandom(13);
    double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 709.0, -709.0, 745.5, -745.5, -740.0};
    for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1001}) {
      for (int trial = 0; trial < 6; trial++) {
        int o = r.nextInt(5);
        double[] v = new double[o + n + 3];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * Math.exp(4 * r.nextGaussian());
        if (trial % 2 == 0) for (int q = 0; q < 3 && n > 0; q++) v[o + r.nextInt(n)] = sp[r.nextInt(sp.length)];
        double[] got = v.clone();
        Kernels.sigmoid(got, o, n);
        double[] vec = v.clone();
        if (DenseKernelsTest.vectorModule()) VectorKernels.sigmoid(vec, o, n);
        for (int i = 0; i < v.length; i++) {
          double expected = i >= o && i < o + n ? Kernels.sigmoid(v[i]) : v[i];
          DenseKernelsTest.same(expected, got[i], "n " + n + " trial " + trial + " element " + i);
          if (DenseKernelsTest.vectorModule()) {
            DenseKernelsTest.same(expected, vec[i], "vector n " + n + " trial " + trial + " element " + i);
          }
        }
      }
    }
  }

  /**
   * The logistic loss terms and residuals ({@link Kernels#logisticTerms}, the training pass of
   * binary logistic regression): the SIMD form equals the scalar form in every lane, specials
   * included, and both are the textbook formulas on fdlibm within a few ulps.
   */
  @Test
  void logisticTermsAreTheScalarFormInEveryLaneAndTheFormulaOnFdlibm() {
    SplittableRandom r = new SplittableRandom(19);
    double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 709.0, -709.0, 745.5, -745.5, -740.0, 0.8813735870195430,
        -0.8813735870195430};
    long worstLoss = 0, worstRes = 0;
    for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1001}) {
      for (int trial = 0; trial < 8; trial++) {
        int o = r.nextInt(5);
        double bias = trial % 3 == 0 ? 0.0 : r.nextGaussian();
        double[] z = new double[o + n + 3];
        double[] y = new double[n];
        for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian() * Math.exp(3 * r.nextGaussian());
        for (int i = 0; i < n; i++) y[i] = r.nextInt(2);
        if (trial % 2 == 0) for (int q = 0; q < 3 && n > 0; q++) z[o + r.nextInt(n)] = sp[r.nextInt(sp.length)];
        double[] loss = new double[n], res = new double[n], vl = new double[n], vr = new double[n];
        Kernels.logisticTerms(z, o, n, bias, y, loss, res);
        if (DenseKernelsTest.vectorModule()) VectorKernels.logisticTerms(z, o, n, bias, y, vl, vr);
        double[] one = new double[1], oneR = new double[1];
        for (int i = 0; i < n; i++) {
          String what = "n " + n + " trial " + trial + " row " + i + " z " + (z[o + i] + bias);
          Kernels.logisticTerm(z[o + i] + bias, new double[] {y[i]}, 0, one, oneR);
          DenseKernelsTest.same(one[0], loss[i], what + " loss");
          DenseKernelsTest.same(oneR[0], res[i], what + " residual");
          if (DenseKernelsTest.vectorModule()) {
            DenseKernelsTest.same(one[0], vl[i], "vector " + what + " loss");
            DenseKernelsTest.same(oneR[0], vr[i], "vector " + what + " residual");
          }
          double zi = z[o + i] + bias;
          if (Double.isFinite(zi) && Math.abs(zi) < 700) {
            double e = StrictMath.exp(-Math.abs(zi));
            double refLoss = (Math.max(zi, 0) + StrictMath.log1p(e)) - y[i] * zi;
            double refRes = (zi >= 0 ? 1.0 : e) / (1 + e) - y[i];
            // each rounds at its own scale: a few ulps of the largest term
            double scale = Math.max(Math.abs(zi), StrictMath.log1p(e)) + 1;
            long ul = (long) Math.ceil(Math.abs(loss[i] - refLoss) / Math.ulp(scale));
            long ur = (long) Math.ceil(Math.abs(res[i] - refRes) / Math.ulp(1.0));
            worstLoss = Math.max(worstLoss, ul);
            worstRes = Math.max(worstRes, ur);
          }
        }
      }
    }
    assertTrue(worstLoss <= 4, "loss within 4 ulps of its scale, worst " + worstLoss);
    assertTrue(worstRes <= 2, "residual within 2 ulps of 1, worst " + worstRes);
    double[] l = new double[1], q = new double[1];
    Kernels.logisticTerms(new double[] {1000}, 0, 1, 0, new double[] {0}, l, q);
    assertEquals(1000.0, l[0]);
    assertEquals(1.0, q[0]);
    Kernels.logisticTerms(new double[] {-1000}, 0, 1, 0, new double[] {1}, l, q);
    assertEquals(1000.0, l[0]);
    assertEquals(-1.0, q[0]);
    Kernels.logisticTerms(new double[] {0}, 0, 1, 0, new double[] {1}, l, q);
    assertEquals(Math.log(2), l[0], Math.ulp(Math.log(2)));
    assertEquals(-0.5, q[0]);
  }
}
