package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.adaspark.data.DenseBlock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dense kernels of {@link Kernels} against naive loops written in their documented order,
 * and the SIMD forms ({@link VectorKernels}) against the scalar forms, bit for bit: on data
 * whose magnitudes span many orders (so that any other summation order changes the last bits),
 * many lengths (below, at and off the 8-element step), offsets, NaN and infinities. A
 * different order, an FMA or a lane reduction in any form fails these tests.
 */
class DenseKernelsTest {

  static double[] values(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.exp(6 * r.nextGaussian());
    return v;
  }

  /** Same bits (NaN payloads aside: Java does not specify them, only that a NaN results). */
  static void same(double expected, double actual, String what) {
    if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
      fail(what + ": expected " + expected + " but was " + actual);
    }
  }

  static boolean vectorModule() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The documented order of {@link Kernels#dot}, written as plainly as possible. */
  static double naiveDot(double[] a, int ao, double[] b, int bo, int n) {
    double[] s = new double[8];
    int main = n / 8 * 8;
    for (int l = 0; l < main; l++) s[l % 8] = s[l % 8] + a[ao + l] * b[bo + l];
    double sum = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (int l = main; l < n; l++) sum = sum + a[ao + l] * b[bo + l];
    return sum;
  }

  static int[] lengths() {
    int[] n = new int[80];
    for (int i = 0; i < 70; i++) n[i] = i;
    int[] more = {71, 72, 73, 99, 100, 101, 127, 128, 129, 785};
    System.arraycopy(more, 0, n, 70, more.length);
    return n;
  }

  /** Sprinkles NaN, ±Inf and signed zeros into some of the arrays. */
  static void specials(SplittableRandom r, double[] v, int trial) {
    if (v.length == 0 || trial % 3 != 0) return;
    double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        Double.MAX_VALUE};
    int k = 1 + r.nextInt(3);
    for (int q = 0; q < k; q++) v[r.nextInt(v.length)] = sp[r.nextInt(sp.length)];
  }

  /** dot, dot2 and dot4 (SIMD and scalar) against the documented order. */
  @Test
  void dotIsTheDocumentedOrderAndVectorEqualsScalar() {
    SplittableRandom r = new SplittableRandom(1);
    int differsFromFourSums = 0;
    for (int n : lengths()) {
      for (int trial = 0; trial < 12; trial++) {
        int ao = r.nextInt(5), bo = r.nextInt(5), b1 = bo + n + r.nextInt(3);
        double[] a = values(r, ao + n + r.nextInt(3));
        double[] b = values(r, b1 + n + r.nextInt(3));
        specials(r, a, trial);
        specials(r, b, trial + 1);
        String what = "n " + n + " trial " + trial;
        double ref = naiveDot(a, ao, b, bo, n);
        double ref1 = naiveDot(a, ao, b, b1, n);
        same(ref, Kernels.scalarDot(a, ao, b, bo, n), what + " scalar");
        same(ref, Kernels.dot(a, ao, b, bo, n), what + " dispatch");
        double[] out = new double[3];
        Kernels.scalarDot2(a, ao, b, bo, b1, n, out, 1);
        same(ref, out[1], what + " scalar dot2");
        same(ref1, out[2], what + " scalar dot2 second");
        Kernels.dot2(a, ao, b, bo, b1, n, out, 0);
        same(ref, out[0], what + " dispatch dot2");
        same(ref1, out[1], what + " dispatch dot2 second");
        if (vectorModule()) {
          // both widths, whichever this machine runs (the other is emulated: slower, same bits)
          same(ref, VectorKernels.dot(a, ao, b, bo, n), what + " vector");
          same(ref, VectorKernels.dot8(a, ao, b, bo, n), what + " vector 8 lanes");
          same(ref, VectorKernels.dot4Lanes(a, ao, b, bo, n), what + " vector 4 lanes");
          VectorKernels.dot2(a, ao, b, bo, b1, n, out, 1);
          same(ref, out[1], what + " vector dot2");
          same(ref1, out[2], what + " vector dot2 second");
          VectorKernels.dot2x8(a, ao, b, bo, b1, n, out, 1);
          same(ref, out[1], what + " vector dot2 8 lanes");
          same(ref1, out[2], what + " vector dot2 8 lanes second");
          VectorKernels.dot2x4(a, ao, b, bo, b1, n, out, 1);
          same(ref, out[1], what + " vector dot2 4 lanes");
          same(ref1, out[2], what + " vector dot2 4 lanes second");
        }
        double[] w4 = values(r, bo + 4 * n + r.nextInt(3));
        specials(r, w4, trial + 2);
        double[] o4 = new double[6];
        Kernels.dot4(a, ao, w4, bo, n, o4, 1);
        for (int k = 0; k < 4; k++) same(naiveDot(a, ao, w4, bo + k * n, n), o4[1 + k], what + " dispatch dot4 " + k);
        if (vectorModule()) {
          VectorKernels.dot4(a, ao, w4, bo, n, o4, 2);
          for (int k = 0; k < 4; k++) same(naiveDot(a, ao, w4, bo + k * n, n), o4[2 + k], what + " vector dot4 " + k);
        }
        // four vectors anywhere (a fused logistic product's runs), outputs os apart
        double[][] ws = new double[4][];
        int[] wo = new int[4];
        for (int k = 0; k < 4; k++) {
          wo[k] = r.nextInt(4);
          ws[k] = values(r, wo[k] + n + r.nextInt(3));
          specials(r, ws[k], trial + 3 + k);
        }
        int os = 1 + r.nextInt(5);
        double[] orun = new double[1 + 4 * os];
        Kernels.dot4(a, ao, ws[0], wo[0], ws[1], wo[1], ws[2], wo[2], ws[3], wo[3], n, orun, 1, os);
        for (int k = 0; k < 4; k++) same(naiveDot(a, ao, ws[k], wo[k], n), orun[1 + k * os], what + " dispatch dot4 of runs " + k);
        if (vectorModule()) {
          VectorKernels.dot4x8(a, ao, ws[0], wo[0], ws[1], wo[1], ws[2], wo[2], ws[3], wo[3], n, orun, 0, os);
          for (int k = 0; k < 4; k++) same(naiveDot(a, ao, ws[k], wo[k], n), orun[k * os], what + " vector dot4 of runs 8 lanes " + k);
          VectorKernels.dot4x4(a, ao, ws[0], wo[0], ws[1], wo[1], ws[2], wo[2], ws[3], wo[3], n, orun, 0, os);
          for (int k = 0; k < 4; k++) same(naiveDot(a, ao, ws[k], wo[k], n), orun[k * os], what + " vector dot4 of runs 4 lanes " + k);
        }
        if (n >= 8 && trial % 3 != 0 && ref != fourSums(a, ao, b, bo, n)) differsFromFourSums++;
      }
    }
    // the data is such that the order shows: the previous four-sum order gives other bits
    assertTrue(differsFromFourSums > 100, "only " + differsFromFourSums + " dots depend on the order");
  }

  /** The dot's order before eight partial sums (k = l mod 4), to show the data is sensitive. */
  static double fourSums(double[] a, int ao, double[] b, int bo, int n) {
    double[] s = new double[4];
    int main = n / 4 * 4;
    for (int l = 0; l < main; l++) s[l % 4] += a[ao + l] * b[bo + l];
    double sum = (s[0] + s[1]) + (s[2] + s[3]);
    for (int l = main; l < n; l++) sum += a[ao + l] * b[bo + l];
    return sum;
  }

  /** The documented order of {@link Kernels#addScaledRows}: rows, then features. */
  static void naiveAddScaledRows(double[] x, int xo, int d, int b, double[] r, double[] g, int go) {
    for (int i = 0; i < b; i++) {
      for (int l = 0; l < d; l++) g[go + l] = g[go + l] + x[xo + i * d + l] * r[i];
    }
  }

  @Test
  void gradientIsTheRowOrderSumAndVectorEqualsScalar() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 101}) {
      for (int b : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256}) {
        for (int trial = 0; trial < 3; trial++) {
          int xo = rnd.nextInt(4), go = rnd.nextInt(4);
          double[] x = values(rnd, xo + b * d + rnd.nextInt(3));
          double[] r = values(rnd, b + 1);
          double[] g0 = values(rnd, go + d + 2);
          specials(rnd, x, trial);
          specials(rnd, r, trial);
          String what = "d " + d + " b " + b + " trial " + trial;
          double[] ref = g0.clone();
          naiveAddScaledRows(x, xo, d, b, r, ref, go);
          double[] scalar = g0.clone();
          Kernels.scalarAddScaledRows(x, xo, d, b, r, scalar, go);
          double[] dispatch = g0.clone();
          Kernels.addScaledRows(x, xo, d, b, r, dispatch, go);
          double[] vector = g0.clone();
          if (vectorModule()) VectorKernels.addScaledRows(x, xo, d, b, r, vector, go);
          else naiveAddScaledRows(x, xo, d, b, r, vector, go);
          // in two pieces: the order depends on the row order only, not on the split
          double[] split = g0.clone();
          int h = b / 3;
          Kernels.addScaledRows(x, xo, d, h, r, split, go);
          double[] rest = new double[b - h];
          System.arraycopy(r, h, rest, 0, b - h);
          Kernels.addScaledRows(x, xo + h * d, d, b - h, rest, split, go);
          for (int l = 0; l < g0.length; l++) {
            same(ref[l], scalar[l], what + " scalar " + l);
            same(ref[l], dispatch[l], what + " dispatch " + l);
            same(ref[l], vector[l], what + " vector " + l);
            same(ref[l], split[l], what + " split " + l);
          }
        }
      }
    }
  }

  /** A sequential sum of fused multiply-adds from +0: the order of an MLP's first layer (Kernels#addOuterProducts). */
  static double naiveSequential(double[] a, int ao, double[] b, int bo, int n) {
    double s = 0.0;
    for (int l = 0; l < n; l++) s = Math.fma(a[ao + l], b[bo + l], s);
    return s;
  }

  @Test
  void addOuterProductsIsTheSequentialSumOfEveryElement() {
    // blocks of 8 (AVX-512) or 6 (AVX2) and 4 rows of C by two vectors and by one, single rows, the last columns as
    // part of an overlapping vector (or in the scalar form below a vector); strided A, offsets, NaN/∞/±0 anywhere; C's own value first; the scalar,
    // dispatched and vector forms, and the sum split over two ranges of s, all the same bits
    SplittableRandom rnd = new SplittableRandom(3);
    int trial = 0;
    for (int ns : new int[] {0, 1, 2, 3, 7, 8, 9, 33, 100}) {
      for (int np : new int[] {1, 3, 4, 5, 6, 8, 9, 12, 13, 17}) {
        for (int nq : new int[] {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64}) {
          boolean transposedA = rnd.nextBoolean();
          int as = transposedA ? 1 : np + rnd.nextInt(2), ap = transposedA ? ns + rnd.nextInt(2) : 1;
          int ao = rnd.nextInt(3), bo = rnd.nextInt(3), co = rnd.nextInt(3);
          int ldb = nq + rnd.nextInt(2), ldc = nq + rnd.nextInt(3);
          double[] a = values(rnd, ao + Math.max(1, ns * as + np * ap));
          double[] b = values(rnd, bo + Math.max(1, ns * ldb));
          double[] c0 = values(rnd, co + np * ldc + 1);
          specials(rnd, a, trial);
          specials(rnd, b, trial);
          specials(rnd, c0, trial++);
          double[] scalar = c0.clone(), dispatch = c0.clone(), vector = c0.clone(), split = c0.clone();
          Kernels.scalarAddOuterProducts(ns, np, nq, a, ao, as, ap, b, bo, ldb, scalar, co, ldc);
          Kernels.addOuterProducts(ns, np, nq, a, ao, as, ap, b, bo, ldb, dispatch, co, ldc);
          VectorKernels.addOuterProducts(ns, np, nq, a, ao, as, ap, b, bo, ldb, vector, co, ldc);
          int half = ns / 2;
          Kernels.addOuterProducts(half, np, nq, a, ao, as, ap, b, bo, ldb, split, co, ldc);
          Kernels.addOuterProducts(ns - half, np, nq, a, ao + half * as, as, ap, b, bo + half * ldb, ldb, split, co, ldc);
          for (int i = 0; i < c0.length; i++) {
            int p = (i - co) / ldc, q = (i - co) % ldc;
            double ref = c0[i];
            if (i >= co && p < np && q < nq) {
              for (int s = 0; s < ns; s++) ref = Math.fma(a[ao + s * as + p * ap], b[bo + s * ldb + q], ref);
            }
            String what = "ns " + ns + " np " + np + " nq " + nq + " element " + i;
            same(ref, scalar[i], what + " scalar");
            same(ref, dispatch[i], what + " dispatch");
            same(ref, vector[i], what + " vector");
            same(ref, split[i], what + " split");
          }
        }
      }
    }
  }

  /**
   * The logistic pass against a naive loop in the documented order: z = dot(x_i, w) + b per
   * row; the weight gradient summed over all rows in row order; loss and intercept gradient
   * summed in row order within each chunk of 256 rows, the chunk sums added in chunk order.
   * For T = 1 and for θ fused with others, with and without a row selection.
   */
  @Test
  void logisticPassIsTheNaiveLoopInTheDocumentedOrder() {
    SplittableRandom rnd = new SplittableRandom(4);
    for (int d : new int[] {1, 5, 8, 13, 100}) {
      int n = 700;  // three chunks, the last partial
      double[] x = new double[n * d];
      for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian() * Math.exp(2 * rnd.nextGaussian());
      double[] y = new double[n];
      for (int i = 0; i < n; i++) y[i] = rnd.nextInt(2);
      DenseBlock block = new DenseBlock(n, d, x, y);
      BinaryLogisticRegression model = new BinaryLogisticRegression(d, 0);
      int[] sel = new int[600];
      for (int i = 0; i < sel.length; i++) sel[i] = rnd.nextInt(n);
      for (int[] rows : new int[][] {null, sel}) {
        int count = rows == null ? n : rows.length;
        double[] theta = values(rnd, d + 1);
        for (int l = 0; l <= d; l++) theta[l] *= 0.3;
        double[] gRef = new double[d + 1];
        double lossRef = naivePass(x, y, d, rows, count, theta, gRef);
        double[][] thetas = {values(rnd, d + 1), theta, values(rnd, d + 1)};
        double[][] grads = new double[3][d + 1];
        double[] losses = model.addLossGradientFused(thetas, block, rows, count, grads);
        double[] g1 = new double[d + 1];
        double loss1 = model.addLossGradient(theta, block, rows, count, g1);
        String what = "d " + d + (rows == null ? " all rows" : " selection");
        same(lossRef, losses[1], what + " fused loss");
        same(lossRef, loss1, what + " loss");
        for (int l = 0; l <= d; l++) {
          same(gRef[l], grads[1][l], what + " fused grad " + l);
          same(gRef[l], g1[l], what + " grad " + l);
        }
      }
    }
  }

  static double naivePass(double[] x, double[] y, int d, int[] rows, int count, double[] theta, double[] g) {
    double total = 0;
    for (int start = 0; start < count; start += 256) {
      double loss = 0, rsum = 0;
      for (int p = start; p < Math.min(count, start + 256); p++) {
        int row = rows == null ? p : rows[p];
        double z = naiveDot(x, row * d, theta, 0, d) + theta[d];
        double e = Kernels.expNonPositive(-Math.abs(z));
        loss = loss + (Math.max(z, 0) + Kernels.log1pUnit(e) - y[row] * z);
        double res = (z >= 0 ? 1.0 : e) / (1 + e) - y[row];
        rsum = rsum + res;
        for (int l = 0; l < d; l++) g[l] = g[l] + x[row * d + l] * res;
      }
      g[d] = g[d] + rsum;
      total = total + loss;
    }
    return total;
  }

  @Test
  void simdIsUsedWhereTheModuleIs() {
    // the tests run with --add-modules jdk.incubator.vector (surefire's argLine): on a machine
    // with 256-bit vectors the SIMD forms must be the ones running, unless switched off
    assumeTrue(vectorModule() && Boolean.parseBoolean(System.getProperty("adaspark.simd", "true")));
    assertEquals(VectorKernels.preferredBits() >= 256, Kernels.SIMD);
  }

  /**
   * The whole dense logistic pass and the first-layer products, in this JVM and in JVMs that run
   * the scalar forms: one with {@code -Dadaspark.simd=false}, one without the incubator module
   * at all (where {@link VectorKernels} must never be loaded). Same bits in all three.
   */
  @Test
  void scalarJvmsGiveTheSameBits() throws Exception {
    String here = Fingerprint.compute();
    assertTrue(here.length() > 1000);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String main = Fingerprint.class.getName();
    String off = run(java, "--add-modules=jdk.incubator.vector", "-Dadaspark.simd=false", "-cp", cp, main);
    assertTrue(off.startsWith("simd=false\n"), off);
    assertEquals(here, off.substring(off.indexOf('\n') + 1), "-Dadaspark.simd=false");
    String none = run(java, "-cp", cp, main);
    assertTrue(none.startsWith("simd=false\n"), none);
    assertEquals(here, none.substring(none.indexOf('\n') + 1), "without jdk.incubator.vector");
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout");
    String s = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), s);
    // drop the JVM's own warnings (e.g. about incubator modules): keep from our first line on
    return s.substring(s.indexOf("simd="));
  }

  /** Prints {@code simd=<Kernels.SIMD>} and the bits of the dense kernels' results on fixed data. */
  public static final class Fingerprint {
    private Fingerprint() {}

    public static void main(String[] args) {
      System.out.print("simd=" + Kernels.SIMD + "\n" + compute());
    }

    static String compute() {
      SplittableRandom rnd = new SplittableRandom(5);
      int n = 300, d = 100;
      double[] x = values(rnd, n * d);
      double[] y = new double[n];
      for (int i = 0; i < n; i++) y[i] = rnd.nextInt(2);
      DenseBlock block = new DenseBlock(n, d, x, y);
      StringBuilder sb = new StringBuilder();
      double[][] thetas = {values(rnd, d + 1), values(rnd, d + 1)};
      for (double[] t : thetas) for (int l = 0; l <= d; l++) t[l] *= 1e-3;
      double[][] grads = new double[2][d + 1];
      double[] losses = new BinaryLogisticRegression(d, 0).addLossGradientFused(thetas, block, null, n, grads);
      for (double v : losses) sb.append(Long.toHexString(Double.doubleToLongBits(v))).append(' ');
      for (double[] g : grads) for (double v : g) sb.append(Long.toHexString(Double.doubleToLongBits(v))).append(' ');
      sb.append('\n');
      for (int m : new int[] {1, 2, 3, 4, 7, 8, 13, 64}) {
        Inputs in = Inputs.of(block, new int[] {7, 0, 299, 7, 150}, 5);
        in.load(0, 5);
        double[] out = new double[5 * m];
        in.multiplyTransposed(new double[][] {values(rnd, m * d)}, m, out);
        for (double v : out) sb.append(Long.toHexString(Double.doubleToLongBits(v))).append(' ');
        sb.append('\n');
      }
      return sb.toString();
    }
  }
}
