package io.adaspark.model;

/**
 * The dense inner kernels of {@link Inputs}, each in one documented operation order that
 * depends only on its lengths — never on the machine, the JVM's vector support, the number of
 * fused parameter vectors or the other values — so that results are bit-identical everywhere.
 *
 * <p>Each kernel has a scalar form here and a SIMD form in {@link VectorKernels} with exactly
 * the same IEEE operations in the same order (lane-wise multiply then add; Java never fuses
 * {@code a*b + c} into an FMA, and neither does the vector form). {@link #SIMD} picks the SIMD
 * form when the JVM has {@code jdk.incubator.vector} (the Spark launcher and the tests add it)
 * and compiles 256-bit vectors to machine code; otherwise the scalar form runs, with the same
 * bits, only slower. {@code -Dadaspark.simd=false} forces the scalar form. The exception is
 * {@link #outerProduct} (an MLP's first layer): one plain-Java form, written so that C2 vectorizes
 * it across outputs by itself — no lane reduction, so its SIMD code is the scalar order.
 */
final class Kernels {
  private Kernels() {}

  /** Whether the {@link VectorKernels} forms run (decided once per JVM; the bits are the same). */
  static final boolean SIMD = simdUsable();

  private static boolean simdUsable() {
    if (!Boolean.parseBoolean(System.getProperty("adaspark.simd", "true"))) return false;
    // without the module in the boot layer, VectorKernels must not even be loaded
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
    try {
      // below 256 bits (e.g. 128-bit NEON/SSE only) 4-lane vectors would not be intrinsified
      return VectorKernels.preferredBits() >= 256;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code Σ_l a[ao+l]·b[bo+l]} over l = 0..n-1 in this order: eight partial sums
   * {@code s_k} (k = l mod 8), each starting at +0 and adding {@code a_l·b_l} in increasing l
   * over l &lt; 8⌊n/8⌋, combined as {@code ((s_0+s_4) + (s_1+s_5)) + ((s_2+s_6) + (s_3+s_7))},
   * then the tail l = 8⌊n/8⌋..n-1 added one by one in increasing l.
   */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    return SIMD ? VectorKernels.dot(a, ao, b, bo, n) : scalarDot(a, ao, b, bo, n);
  }

  /**
   * Two {@link #dot}s sharing the loads of {@code a}: {@code out[o] = dot(a, b at b0)},
   * {@code out[o+1] = dot(a, b at b1)}, each with exactly the operations of {@link #dot}, so the
   * result does not depend on whether an output is computed here or by {@link #dot}.
   */
  static void dot2(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
    if (SIMD) {
      VectorKernels.dot2(a, ao, b, b0, b1, n, out, o);
    } else {
      scalarDot2(a, ao, b, b0, b1, n, out, o);
    }
  }

  /**
   * Four {@link #dot}s sharing the loads of {@code a}: {@code out[o+k] = dot(a, b at b0 + k·n)}
   * for k = 0..3 (four consecutive weight rows of length n), each with exactly the operations of
   * {@link #dot}.
   */
  static void dot4(double[] a, int ao, double[] b, int b0, int n, double[] out, int o) {
    if (SIMD) {
      VectorKernels.dot4(a, ao, b, b0, n, out, o);
    } else {
      for (int k = 0; k < 4; k++) out[o + k] = scalarDot(a, ao, b, b0 + k * n, n);
    }
  }

  /**
   * {@code g[go+l] += Σ_i r[i]·x[xo + i·d + l]} for l = 0..d-1 (b rows of length d), each
   * feature's sum in row order: {@code g_l ← (…((g_l + x_0l·r_0) + x_1l·r_1) …) + x_(b-1)l·r_(b-1)},
   * every product rounded, then added — exactly a plain loop over rows then features
   * ({@code g[l] += x[i][l]·r[i]}). So calling it on consecutive pieces of the rows gives the
   * same bits as one call on all of them: the order is a function of the row order only.
   */
  static void addScaledRows(double[] x, int xo, int d, int b, double[] r, double[] g, int go) {
    if (SIMD) {
      VectorKernels.addScaledRows(x, xo, d, b, r, g, go);
    } else {
      scalarAddScaledRows(x, xo, d, b, r, g, go);
    }
  }

  static double scalarDot(double[] a, int ao, double[] b, int bo, int n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int l = 0;
    for (; l + 7 < n; l += 8) {
      s0 += a[ao + l] * b[bo + l];
      s1 += a[ao + l + 1] * b[bo + l + 1];
      s2 += a[ao + l + 2] * b[bo + l + 2];
      s3 += a[ao + l + 3] * b[bo + l + 3];
      s4 += a[ao + l + 4] * b[bo + l + 4];
      s5 += a[ao + l + 5] * b[bo + l + 5];
      s6 += a[ao + l + 6] * b[bo + l + 6];
      s7 += a[ao + l + 7] * b[bo + l + 7];
    }
    double s = ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7));
    for (; l < n; l++) s += a[ao + l] * b[bo + l];
    return s;
  }

  static void scalarDot2(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
    out[o] = scalarDot(a, ao, b, b0, n);
    out[o + 1] = scalarDot(a, ao, b, b1, n);
  }

  static void scalarAddScaledRows(double[] x, int xo, int d, int b, double[] r, double[] g, int go) {
    int i = 0;
    for (; i + 3 < b; i += 4) {  // four rows per load and store of g, the same order
      int o0 = xo + i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
      double r0 = r[i], r1 = r[i + 1], r2 = r[i + 2], r3 = r[i + 3];
      for (int l = 0; l < d; l++) {
        g[go + l] = (((g[go + l] + x[o0 + l] * r0) + x[o1 + l] * r1) + x[o2 + l] * r2) + x[o3 + l] * r3;
      }
    }
    for (; i < b; i++) {
      int xi = xo + i * d;
      double ri = r[i];
      for (int l = 0; l < d; l++) g[go + l] += x[xi + l] * ri;
    }
  }

  /**
   * The fused first-layer product of an MLP (m ≥ {@code Inputs.WIDE} outputs) in outer-product
   * (axpy) order: for b rows of length d at {@code x[xb..]} and the transposed weights
   * {@code t[l][r] = W[r][l]}, {@code out[o + i·m + r] = (…((+0 + x_i0·t[0][r]) + x_i1·t[1][r])
   * …) + x_i(d-1)·t[d-1][r]}: one sequential sum per output in increasing l, every product
   * rounded and then added. The order depends on nothing but l, so an output's bits do not depend
   * on m, on the other outputs, on how many parameter vectors are fused (K) or on how the rows
   * are blocked: exactly a plain loop {@code s = 0; for l: s += x[l]·W[r][l]}.
   *
   * <p>Register-blocked over rows and features: three rows share each load of a weight row
   * {@code t[l]}, two features are added per load and store of a row's partial sums
   * ({@code acc}, 3 arrays of at least m: scratch), and the inner loops run over the outputs r
   * with every array indexed by r alone — the form HotSpot's C2 compiles to SIMD code, one output
   * per lane, with no lane reduction (lane-wise multiply and add are the scalar IEEE operations;
   * Java never fuses them into an FMA). Three rows by two features was the fastest blocking on
   * [100, 64] on this machine (AMD EPYC with AVX-512): 4 × 4 and 4 × 2 ran 2.7–2.8× slower (presumably
   * register spills; not checked in the assembly), 2 × 2 and 1 × 4 1.2–1.7× slower (BENCHMARKS.md, "MLP kernel").
   */
  static void outerProduct(double[] x, int xb, int d, int b, double[][] t, int m, double[][] acc,
                           double[] out, int o) {
    double[] a0 = acc[0], a1 = acc[1], a2 = acc[2];
    int d2 = d & ~1;
    int i = 0;
    for (; i + 2 < b; i += 3) {
      int x0 = xb + i * d, x1 = x0 + d, x2 = x1 + d;
      java.util.Arrays.fill(a0, 0, m, 0.0);
      java.util.Arrays.fill(a1, 0, m, 0.0);
      java.util.Arrays.fill(a2, 0, m, 0.0);
      for (int l = 0; l < d2; l += 2) {
        double[] ta = t[l], tb = t[l + 1];
        double p0 = x[x0 + l], q0 = x[x0 + l + 1];
        double p1 = x[x1 + l], q1 = x[x1 + l + 1];
        double p2 = x[x2 + l], q2 = x[x2 + l + 1];
        for (int r = 0; r < m; r++) {
          double wa = ta[r], wb = tb[r];
          a0[r] = (a0[r] + p0 * wa) + q0 * wb;
          a1[r] = (a1[r] + p1 * wa) + q1 * wb;
          a2[r] = (a2[r] + p2 * wa) + q2 * wb;
        }
      }
      if (d2 < d) {
        double[] ta = t[d2];
        double p0 = x[x0 + d2], p1 = x[x1 + d2], p2 = x[x2 + d2];
        for (int r = 0; r < m; r++) {
          double wa = ta[r];
          a0[r] += p0 * wa;
          a1[r] += p1 * wa;
          a2[r] += p2 * wa;
        }
      }
      int oi = o + i * m;
      System.arraycopy(a0, 0, out, oi, m);
      System.arraycopy(a1, 0, out, oi + m, m);
      System.arraycopy(a2, 0, out, oi + 2 * m, m);
    }
    for (; i < b; i++) {  // the last b mod 3 rows, one at a time: the same order per output
      int x0 = xb + i * d;
      java.util.Arrays.fill(a0, 0, m, 0.0);
      for (int l = 0; l < d2; l += 2) {
        double[] ta = t[l], tb = t[l + 1];
        double p0 = x[x0 + l], q0 = x[x0 + l + 1];
        for (int r = 0; r < m; r++) a0[r] = (a0[r] + p0 * ta[r]) + q0 * tb[r];
      }
      if (d2 < d) {
        double[] ta = t[d2];
        double p0 = x[x0 + d2];
        for (int r = 0; r < m; r++) a0[r] += p0 * ta[r];
      }
      System.arraycopy(a0, 0, out, o + i * m, m);
    }
  }
}
