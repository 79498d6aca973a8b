package io.adaspark.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD forms of {@link Kernels}' dense kernels, written with {@code jdk.incubator.vector}.
 * Every method performs exactly the IEEE operations of its scalar twin in {@link Kernels}, in
 * the same order, so the two give the same bits (tested on random data, NaN and infinities
 * included); which one runs is {@link Kernels#SIMD}, decided once per JVM.
 *
 * <p>Rules that keep the bits fixed: lane-wise {@code mul} then {@code add} where the scalar
 * form is {@code s += a*b} (Java never fuses it), lane-wise {@code fma} where it is
 * {@link Math#fma} ({@link #addOuterProducts}), never {@code reduceLanes} (its order is
 * unspecified), and sums whose order does not depend on the vector width: {@link #dot}'s eight
 * partial sums are the eight lanes of one 512-bit vector or the four lanes of two 256-bit ones,
 * combined lane by lane in the same tree; in the other kernels each lane is one output's own
 * running sum.
 *
 * <p><b>One width per JVM</b> ({@link #V}): 512 bits where the JIT compiles them (AVX-512), else
 * 256. Mixing widths in one JVM defeats C2: the JDK's shared vector methods then see two vector
 * classes in their type profiles and calls compiled after that stay unintrinsified — measured on
 * an AVX-512 Xeon, the MLP's first-layer kernels ran 1.6× slower after 256-bit dot products had
 * run in the same JVM, and 20× slower after VectorBLAS (which MLlib and the hidden layers use)
 * had run its {@code SPECIES_MAX} vectors beside our {@code SPECIES_512} ones — two classes of
 * the same width (BENCHMARKS.md, "MLP kernel"). So every kernel here uses {@code SPECIES_MAX} too.
 *
 * <p>Only {@link Kernels} refers to this class, and only when {@link Kernels#SIMD} holds, so
 * it (and the incubator module) is never loaded on a JVM started without
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorKernels {
  private VectorKernels() {}

  /** Lanes of {@code SPECIES_MAX}, the species netlib's VectorBLAS uses (class DoubleMaxVector). */
  private static final int MAX_LANES = DoubleVector.SPECIES_MAX.length();

  /** The 4-lane species: two vectors hold the 8 partial sums of {@link #dot}. */
  static final VectorSpecies<Double> S = MAX_LANES == 4 ? DoubleVector.SPECIES_MAX : DoubleVector.SPECIES_256;

  /** The 8-lane species: one vector holds the 8 partial sums of {@link #dot}. */
  static final VectorSpecies<Double> S8 = MAX_LANES == 8 ? DoubleVector.SPECIES_MAX : DoubleVector.SPECIES_512;

  /** Whether this JVM's kernels use 8-lane vectors (512 bits compile to machine vectors here). */
  static final boolean EIGHT = MAX_LANES >= 8;

  /**
   * The one species of every kernel here: {@code SPECIES_MAX} itself where it has 4 or 8 lanes
   * (AVX2, AVX-512: the same vector class as VectorBLAS's), else the 512-bit species.
   */
  static final VectorSpecies<Double> V = EIGHT ? S8 : S;

  /** Bits of the widest vector the JIT compiles to machine vectors here. */
  static int preferredBits() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /** {@link Kernels#dot}: partial sums {@code s_k} (k = l mod 8) in the lanes of one or two vectors. */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    return EIGHT ? dot8(a, ao, b, bo, n) : dot4Lanes(a, ao, b, bo, n);
  }

  /** {@link Kernels#dot2}: two dots sharing the loads of {@code a}. */
  static void dot2(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
    if (EIGHT) {
      dot2x8(a, ao, b, b0, b1, n, out, o);
    } else {
      dot2x4(a, ao, b, b0, b1, n, out, o);
    }
  }

  /** {@link Kernels#dot4}: four dots sharing the loads of {@code a}. */
  static void dot4(double[] a, int ao, double[] b, int b0, int n, double[] out, int o) {
    dot4(a, ao, b, b0, b, b0 + n, b, b0 + 2 * n, b, b0 + 3 * n, n, out, o, 1);
  }

  /** {@link Kernels#dot4} of four weight vectors anywhere: {@code out[o + k·os] = dot(a, w_k at o_k)}. */
  static void dot4(double[] a, int ao, double[] w0, int o0, double[] w1, int o1, double[] w2, int o2,
                   double[] w3, int o3, int n, double[] out, int o, int os) {
    if (EIGHT) {
      dot4x8(a, ao, w0, o0, w1, o1, w2, o2, w3, o3, n, out, o, os);
    } else {
      dot4x4(a, ao, w0, o0, w1, o1, w2, o2, w3, o3, n, out, o, os);
    }
  }

  /** The tree of {@link Kernels#dot} over the eight lanes {@code s_0..s_7} of an 8-lane vector. */
  private static double tree8(DoubleVector s) {
    return ((s.lane(0) + s.lane(4)) + (s.lane(1) + s.lane(5))) + ((s.lane(2) + s.lane(6)) + (s.lane(3) + s.lane(7)));
  }

  /** The same tree from two 4-lane vectors holding {@code s_0..s_3} and {@code s_4..s_7}. */
  private static double tree4(DoubleVector s0, DoubleVector s1) {
    DoubleVector v = s0.add(s1);  // lane k: s_k + s_{k+4}
    return (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
  }

  static double dot8(double[] a, int ao, double[] b, int bo, int n) {
    DoubleVector s = DoubleVector.zero(S8);
    int l = 0;
    for (; l + 7 < n; l += 8) s = s.add(DoubleVector.fromArray(S8, a, ao + l).mul(DoubleVector.fromArray(S8, b, bo + l)));
    double r = tree8(s);
    for (; l < n; l++) r += a[ao + l] * b[bo + l];
    return r;
  }

  static double dot4Lanes(double[] a, int ao, double[] b, int bo, int n) {
    DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
    int l = 0;
    for (; l + 7 < n; l += 8) {
      s0 = s0.add(DoubleVector.fromArray(S, a, ao + l).mul(DoubleVector.fromArray(S, b, bo + l)));
      s1 = s1.add(DoubleVector.fromArray(S, a, ao + l + 4).mul(DoubleVector.fromArray(S, b, bo + l + 4)));
    }
    double s = tree4(s0, s1);
    for (; l < n; l++) s += a[ao + l] * b[bo + l];
    return s;
  }

  static void dot2x8(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
    DoubleVector s = DoubleVector.zero(S8), t = s;
    int l = 0;
    for (; l + 7 < n; l += 8) {
      DoubleVector x = DoubleVector.fromArray(S8, a, ao + l);
      s = s.add(x.mul(DoubleVector.fromArray(S8, b, b0 + l)));
      t = t.add(x.mul(DoubleVector.fromArray(S8, b, b1 + l)));
    }
    double rs = tree8(s), rt = tree8(t);
    for (; l < n; l++) {
      rs += a[ao + l] * b[b0 + l];
      rt += a[ao + l] * b[b1 + l];
    }
    out[o] = rs;
    out[o + 1] = rt;
  }

  static void dot2x4(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
    DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
    DoubleVector t0 = DoubleVector.zero(S), t1 = DoubleVector.zero(S);
    int l = 0;
    for (; l + 7 < n; l += 8) {
      DoubleVector x0 = DoubleVector.fromArray(S, a, ao + l);
      DoubleVector x1 = DoubleVector.fromArray(S, a, ao + l + 4);
      s0 = s0.add(x0.mul(DoubleVector.fromArray(S, b, b0 + l)));
      s1 = s1.add(x1.mul(DoubleVector.fromArray(S, b, b0 + l + 4)));
      t0 = t0.add(x0.mul(DoubleVector.fromArray(S, b, b1 + l)));
      t1 = t1.add(x1.mul(DoubleVector.fromArray(S, b, b1 + l + 4)));
    }
    double s = tree4(s0, s1), t = tree4(t0, t1);
    for (; l < n; l++) {
      s += a[ao + l] * b[b0 + l];
      t += a[ao + l] * b[b1 + l];
    }
    out[o] = s;
    out[o + 1] = t;
  }

  static void dot4x8(double[] a, int ao, double[] w0, int b0, double[] w1, int b1, double[] w2, int b2,
                     double[] w3, int b3, int n, double[] out, int o, int os) {
    DoubleVector p = DoubleVector.zero(S8), q = p, u = p, v = p;
    int l = 0;
    for (; l + 7 < n; l += 8) {
      DoubleVector x = DoubleVector.fromArray(S8, a, ao + l);
      p = p.add(x.mul(DoubleVector.fromArray(S8, w0, b0 + l)));
      q = q.add(x.mul(DoubleVector.fromArray(S8, w1, b1 + l)));
      u = u.add(x.mul(DoubleVector.fromArray(S8, w2, b2 + l)));
      v = v.add(x.mul(DoubleVector.fromArray(S8, w3, b3 + l)));
    }
    double sp = tree8(p), sq = tree8(q), su = tree8(u), sv = tree8(v);
    for (; l < n; l++) {
      double xl = a[ao + l];
      sp += xl * w0[b0 + l];
      sq += xl * w1[b1 + l];
      su += xl * w2[b2 + l];
      sv += xl * w3[b3 + l];
    }
    out[o] = sp;
    out[o + os] = sq;
    out[o + 2 * os] = su;
    out[o + 3 * os] = sv;
  }

  static void dot4x4(double[] a, int ao, double[] w0, int b0, double[] w1, int b1, double[] w2, int b2,
                     double[] w3, int b3, int n, double[] out, int o, int os) {
    DoubleVector p0 = DoubleVector.zero(S), p1 = p0, q0 = p0, q1 = p0, u0 = p0, u1 = p0, v0 = p0, v1 = p0;
    int l = 0;
    for (; l + 7 < n; l += 8) {
      DoubleVector x0 = DoubleVector.fromArray(S, a, ao + l);
      DoubleVector x1 = DoubleVector.fromArray(S, a, ao + l + 4);
      p0 = p0.add(x0.mul(DoubleVector.fromArray(S, w0, b0 + l)));
      p1 = p1.add(x1.mul(DoubleVector.fromArray(S, w0, b0 + l + 4)));
      q0 = q0.add(x0.mul(DoubleVector.fromArray(S, w1, b1 + l)));
      q1 = q1.add(x1.mul(DoubleVector.fromArray(S, w1, b1 + l + 4)));
      u0 = u0.add(x0.mul(DoubleVector.fromArray(S, w2, b2 + l)));
      u1 = u1.add(x1.mul(DoubleVector.fromArray(S, w2, b2 + l + 4)));
      v0 = v0.add(x0.mul(DoubleVector.fromArray(S, w3, b3 + l)));
      v1 = v1.add(x1.mul(DoubleVector.fromArray(S, w3, b3 + l + 4)));
    }
    double sp = tree4(p0, p1), sq = tree4(q0, q1), su = tree4(u0, u1), sv = tree4(v0, v1);
    for (; l < n; l++) {
      double xl = a[ao + l];
      sp += xl * w0[b0 + l];
      sq += xl * w1[b1 + l];
      su += xl * w2[b2 + l];
      sv += xl * w3[b3 + l];
    }
    out[o] = sp;
    out[o + os] = sq;
    out[o + 2 * os] = su;
    out[o + 3 * os] = sv;
  }

  /**
   * {@link Kernels#addScaledRows}: features in lanes (each lane is one feature's own running
   * sum, so the lanes cannot change its order), four rows per load and store of {@code g}.
   */
  static void addScaledRows(double[] x, int xo, int d, int b, double[] r, double[] g, int go) {
    int n = V.length();
    int dv = d - d % n;
    int i = 0;
    for (; i + 3 < b; i += 4) {
      int o0 = xo + i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
      double r0 = r[i], r1 = r[i + 1], r2 = r[i + 2], r3 = r[i + 3];
      int l = 0;
      for (; l < dv; l += n) {
        DoubleVector acc = DoubleVector.fromArray(V, g, go + l);
        acc = acc.add(DoubleVector.fromArray(V, x, o0 + l).mul(r0));
        acc = acc.add(DoubleVector.fromArray(V, x, o1 + l).mul(r1));
        acc = acc.add(DoubleVector.fromArray(V, x, o2 + l).mul(r2));
        acc = acc.add(DoubleVector.fromArray(V, x, o3 + l).mul(r3));
        acc.intoArray(g, go + l);
      }
      for (; l < d; l++) {
        g[go + l] = (((g[go + l] + x[o0 + l] * r0) + x[o1 + l] * r1) + x[o2 + l] * r2) + x[o3 + l] * r3;
      }
    }
    for (; i < b; i++) {
      int o0 = xo + i * d;
      double r0 = r[i];
      int l = 0;
      for (; l < dv; l += n) {
        DoubleVector acc = DoubleVector.fromArray(V, g, go + l);
        acc.add(DoubleVector.fromArray(V, x, o0 + l).mul(r0)).intoArray(g, go + l);
      }
      for (; l < d; l++) g[go + l] += x[o0 + l] * r0;
    }
  }



  /**
   * {@link Kernels#addOuterProducts}: blocks of 8 rows of C (AVX-512) or 6 (AVX2), then 4, by two
   * vectors of columns held in registers through the whole sum over s, then 4 by one vector,
   * single rows, and the last columns as an overlapping vector on a copy (or in the scalar form
   * below one vector) — each element with the same IEEE operations in the same order.
   */
  static void addOuterProducts(int ns, int np, int nq, double[] a, int ao, int as, int ap,
                               double[] b, int bo, int ldb, double[] c, int co, int ldc) {
    int n = V.length();
    int q = 0;
    for (; q + 2 * n <= nq; q += 2 * n) {
      int p = 0;
      if (EIGHT_ROWS) {
        for (; p + 7 < np; p += 8) block8x2(ns, a, ao + p * ap, as, ap, b, bo + q, ldb, c, co + p * ldc + q, ldc);
      }
      if (SIX_ROWS) {
        for (; p + 5 < np; p += 6) block6x2(ns, a, ao + p * ap, as, ap, b, bo + q, ldb, c, co + p * ldc + q, ldc);
      }
      for (; p + 3 < np; p += 4) block4x2(ns, a, ao + p * ap, as, ap, b, bo + q, ldb, c, co + p * ldc + q, ldc);
      for (; p < np; p++) block1x2(ns, a, ao + p * ap, as, b, bo + q, ldb, c, co + p * ldc + q);
    }
    for (; q + n <= nq; q += n) {
      int p = 0;
      for (; p + 3 < np; p += 4) block4x1(ns, a, ao + p * ap, as, ap, b, bo + q, ldb, c, co + p * ldc + q, ldc);
      for (; p < np; p++) block1x1(ns, a, ao + p * ap, as, b, bo + q, ldb, c, co + p * ldc + q);
    }
    if (q < nq) {
      if (nq < n) {
        Kernels.scalarAddOuterProducts(ns, np, nq - q, a, ao, as, ap, b, bo + q, ldb, c, co + q, ldc);
        return;
      }
      // the last nq - q < n columns as part of the whole vector of columns [nq - n, nq), on a copy
      // taken before the blocks above changed the first of them; only the last columns go back
      int t0 = nq - n;
      double[] t = new double[np * n];
      for (int p = 0; p < np; p++) System.arraycopy(c, co + p * ldc + t0, t, p * n, n);
      int p = 0;
      for (; p + 3 < np; p += 4) block4x1(ns, a, ao + p * ap, as, ap, b, bo + t0, ldb, t, p * n, n);
      for (; p < np; p++) block1x1(ns, a, ao + p * ap, as, b, bo + t0, ldb, t, p * n);
      for (p = 0; p < np; p++) System.arraycopy(t, p * n + (q - t0), c, co + p * ldc + q, nq - q);
    }
  }

  /**
   * Whether {@link #addOuterProducts} holds 8 rows of C by two vectors (16 accumulators): with
   * 512-bit vectors (AVX-512, 32 vector registers). With 256-bit ones (AVX2, 16 registers) 6
   * rows ({@link #SIX_ROWS}). Measured on [100, 64] on an AVX-512 Xeon: 8 × 2 ran the
   * first layer 1.24× faster than 4 × 2 (BENCHMARKS.md, "MLP kernel"). Speed only: the bits are the same.
   */
  private static final boolean EIGHT_ROWS = EIGHT;

  private static void block8x2(int ns, double[] a, int ai, int as, int ap, double[] b, int bi, int ldb,
                               double[] c, int c0, int ldc) {
    int n = V.length();
    int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
    DoubleVector u0 = DoubleVector.fromArray(V, c, c0), u1 = DoubleVector.fromArray(V, c, c0 + n);
    DoubleVector v0 = DoubleVector.fromArray(V, c, c1), v1 = DoubleVector.fromArray(V, c, c1 + n);
    DoubleVector w0 = DoubleVector.fromArray(V, c, c2), w1 = DoubleVector.fromArray(V, c, c2 + n);
    DoubleVector z0 = DoubleVector.fromArray(V, c, c3), z1 = DoubleVector.fromArray(V, c, c3 + n);
    DoubleVector e0 = DoubleVector.fromArray(V, c, c4), e1 = DoubleVector.fromArray(V, c, c4 + n);
    DoubleVector f0 = DoubleVector.fromArray(V, c, c5), f1 = DoubleVector.fromArray(V, c, c5 + n);
    DoubleVector g0 = DoubleVector.fromArray(V, c, c6), g1 = DoubleVector.fromArray(V, c, c6 + n);
    DoubleVector h0 = DoubleVector.fromArray(V, c, c7), h1 = DoubleVector.fromArray(V, c, c7 + n);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) {
      DoubleVector b0 = DoubleVector.fromArray(V, b, bi), b1 = DoubleVector.fromArray(V, b, bi + n);
      double a0 = a[ai], a1 = a[ai + ap], a2 = a[ai + 2 * ap], a3 = a[ai + 3 * ap];
      double a4 = a[ai + 4 * ap], a5 = a[ai + 5 * ap], a6 = a[ai + 6 * ap], a7 = a[ai + 7 * ap];
      u0 = b0.fma(DoubleVector.broadcast(V, a0), u0);
      u1 = b1.fma(DoubleVector.broadcast(V, a0), u1);
      v0 = b0.fma(DoubleVector.broadcast(V, a1), v0);
      v1 = b1.fma(DoubleVector.broadcast(V, a1), v1);
      w0 = b0.fma(DoubleVector.broadcast(V, a2), w0);
      w1 = b1.fma(DoubleVector.broadcast(V, a2), w1);
      z0 = b0.fma(DoubleVector.broadcast(V, a3), z0);
      z1 = b1.fma(DoubleVector.broadcast(V, a3), z1);
      e0 = b0.fma(DoubleVector.broadcast(V, a4), e0);
      e1 = b1.fma(DoubleVector.broadcast(V, a4), e1);
      f0 = b0.fma(DoubleVector.broadcast(V, a5), f0);
      f1 = b1.fma(DoubleVector.broadcast(V, a5), f1);
      g0 = b0.fma(DoubleVector.broadcast(V, a6), g0);
      g1 = b1.fma(DoubleVector.broadcast(V, a6), g1);
      h0 = b0.fma(DoubleVector.broadcast(V, a7), h0);
      h1 = b1.fma(DoubleVector.broadcast(V, a7), h1);
    }
    u0.intoArray(c, c0);
    u1.intoArray(c, c0 + n);
    v0.intoArray(c, c1);
    v1.intoArray(c, c1 + n);
    w0.intoArray(c, c2);
    w1.intoArray(c, c2 + n);
    z0.intoArray(c, c3);
    z1.intoArray(c, c3 + n);
    e0.intoArray(c, c4);
    e1.intoArray(c, c4 + n);
    f0.intoArray(c, c5);
    f1.intoArray(c, c5 + n);
    g0.intoArray(c, c6);
    g1.intoArray(c, c6 + n);
    h0.intoArray(c, c7);
    h1.intoArray(c, c7 + n);
  }

  /**
   * Whether {@link #addOuterProducts} holds 6 rows of C by two vectors (12 accumulators) with
   * 256-bit vectors: enough independent fma chains to cover the fma latency, and with the two
   * rows of B and one broadcast within AVX2's 16 registers (8 rows spill). Measured on [100, 64]
   * on an AVX2 EPYC, one thread, 500k rows: the first layer's product 0.361 → 0.274 s and its
   * gradient 0.347 → 0.257 s against 4 × 2 (BENCHMARKS.md, "MLP kernel, third round"). Speed
   * only: the bits are the same.
   */
  private static final boolean SIX_ROWS = !EIGHT;

  private static void block6x2(int ns, double[] a, int ai, int as, int ap, double[] b, int bi, int ldb,
                               double[] c, int c0, int ldc) {
    int n = V.length();
    int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
    DoubleVector u0 = DoubleVector.fromArray(V, c, c0), u1 = DoubleVector.fromArray(V, c, c0 + n);
    DoubleVector v0 = DoubleVector.fromArray(V, c, c1), v1 = DoubleVector.fromArray(V, c, c1 + n);
    DoubleVector w0 = DoubleVector.fromArray(V, c, c2), w1 = DoubleVector.fromArray(V, c, c2 + n);
    DoubleVector z0 = DoubleVector.fromArray(V, c, c3), z1 = DoubleVector.fromArray(V, c, c3 + n);
    DoubleVector e0 = DoubleVector.fromArray(V, c, c4), e1 = DoubleVector.fromArray(V, c, c4 + n);
    DoubleVector f0 = DoubleVector.fromArray(V, c, c5), f1 = DoubleVector.fromArray(V, c, c5 + n);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) {
      DoubleVector b0 = DoubleVector.fromArray(V, b, bi), b1 = DoubleVector.fromArray(V, b, bi + n);
      DoubleVector a0 = DoubleVector.broadcast(V, a[ai]);
      u0 = b0.fma(a0, u0);
      u1 = b1.fma(a0, u1);
      DoubleVector a1 = DoubleVector.broadcast(V, a[ai + ap]);
      v0 = b0.fma(a1, v0);
      v1 = b1.fma(a1, v1);
      DoubleVector a2 = DoubleVector.broadcast(V, a[ai + 2 * ap]);
      w0 = b0.fma(a2, w0);
      w1 = b1.fma(a2, w1);
      DoubleVector a3 = DoubleVector.broadcast(V, a[ai + 3 * ap]);
      z0 = b0.fma(a3, z0);
      z1 = b1.fma(a3, z1);
      DoubleVector a4 = DoubleVector.broadcast(V, a[ai + 4 * ap]);
      e0 = b0.fma(a4, e0);
      e1 = b1.fma(a4, e1);
      DoubleVector a5 = DoubleVector.broadcast(V, a[ai + 5 * ap]);
      f0 = b0.fma(a5, f0);
      f1 = b1.fma(a5, f1);
    }
    u0.intoArray(c, c0);
    u1.intoArray(c, c0 + n);
    v0.intoArray(c, c1);
    v1.intoArray(c, c1 + n);
    w0.intoArray(c, c2);
    w1.intoArray(c, c2 + n);
    z0.intoArray(c, c3);
    z1.intoArray(c, c3 + n);
    e0.intoArray(c, c4);
    e1.intoArray(c, c4 + n);
    f0.intoArray(c, c5);
    f1.intoArray(c, c5 + n);
  }

  private static void block4x2(int ns, double[] a, int ai, int as, int ap, double[] b, int bi, int ldb,
                               double[] c, int c0, int ldc) {
    int n = V.length();
    int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    DoubleVector u0 = DoubleVector.fromArray(V, c, c0), u1 = DoubleVector.fromArray(V, c, c0 + n);
    DoubleVector v0 = DoubleVector.fromArray(V, c, c1), v1 = DoubleVector.fromArray(V, c, c1 + n);
    DoubleVector w0 = DoubleVector.fromArray(V, c, c2), w1 = DoubleVector.fromArray(V, c, c2 + n);
    DoubleVector z0 = DoubleVector.fromArray(V, c, c3), z1 = DoubleVector.fromArray(V, c, c3 + n);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) {
      DoubleVector b0 = DoubleVector.fromArray(V, b, bi), b1 = DoubleVector.fromArray(V, b, bi + n);
      double a0 = a[ai], a1 = a[ai + ap], a2 = a[ai + 2 * ap], a3 = a[ai + 3 * ap];
      u0 = b0.fma(DoubleVector.broadcast(V, a0), u0);
      u1 = b1.fma(DoubleVector.broadcast(V, a0), u1);
      v0 = b0.fma(DoubleVector.broadcast(V, a1), v0);
      v1 = b1.fma(DoubleVector.broadcast(V, a1), v1);
      w0 = b0.fma(DoubleVector.broadcast(V, a2), w0);
      w1 = b1.fma(DoubleVector.broadcast(V, a2), w1);
      z0 = b0.fma(DoubleVector.broadcast(V, a3), z0);
      z1 = b1.fma(DoubleVector.broadcast(V, a3), z1);
    }
    u0.intoArray(c, c0);
    u1.intoArray(c, c0 + n);
    v0.intoArray(c, c1);
    v1.intoArray(c, c1 + n);
    w0.intoArray(c, c2);
    w1.intoArray(c, c2 + n);
    z0.intoArray(c, c3);
    z1.intoArray(c, c3 + n);
  }

  private static void block1x2(int ns, double[] a, int ai, int as, double[] b, int bi, int ldb, double[] c, int c0) {
    int n = V.length();
    DoubleVector u0 = DoubleVector.fromArray(V, c, c0), u1 = DoubleVector.fromArray(V, c, c0 + n);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) {
      double a0 = a[ai];
      u0 = DoubleVector.fromArray(V, b, bi).fma(DoubleVector.broadcast(V, a0), u0);
      u1 = DoubleVector.fromArray(V, b, bi + n).fma(DoubleVector.broadcast(V, a0), u1);
    }
    u0.intoArray(c, c0);
    u1.intoArray(c, c0 + n);
  }

  private static void block4x1(int ns, double[] a, int ai, int as, int ap, double[] b, int bi, int ldb,
                               double[] c, int c0, int ldc) {
    int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    DoubleVector u = DoubleVector.fromArray(V, c, c0), v = DoubleVector.fromArray(V, c, c1);
    DoubleVector w = DoubleVector.fromArray(V, c, c2), z = DoubleVector.fromArray(V, c, c3);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) {
      DoubleVector b0 = DoubleVector.fromArray(V, b, bi);
      u = b0.fma(DoubleVector.broadcast(V, a[ai]), u);
      v = b0.fma(DoubleVector.broadcast(V, a[ai + ap]), v);
      w = b0.fma(DoubleVector.broadcast(V, a[ai + 2 * ap]), w);
      z = b0.fma(DoubleVector.broadcast(V, a[ai + 3 * ap]), z);
    }
    u.intoArray(c, c0);
    v.intoArray(c, c1);
    w.intoArray(c, c2);
    z.intoArray(c, c3);
  }

  private static void block1x1(int ns, double[] a, int ai, int as, double[] b, int bi, int ldb, double[] c, int c0) {
    DoubleVector u = DoubleVector.fromArray(V, c, c0);
    for (int s = 0; s < ns; s++, ai += as, bi += ldb) u = DoubleVector.fromArray(V, b, bi).fma(DoubleVector.broadcast(V, a[ai]), u);
    u.intoArray(c, c0);
  }

  /**
   * {@link Kernels#sigmoid(double[], int, int)}: one value per lane, {@link Kernels#expNonPositive}'s
   * operations in the same order, the tail in the scalar form. All in this one method: split
   * into a method of its own, the exp is too large for C2 to inline, and the vectors passed to
   * it are then boxed (three times slower than {@link Math#exp}). About 3 times faster than
   * {@link Math#exp} on an AVX2 EPYC (32 million values in cache: 0.077 s against 0.25 s).
   */
  static void sigmoid(double[] v, int o, int n) {
    int w = V.length();
    int i = o, end = o + n;
    for (; i + w <= end; i += w) {
      DoubleVector z = DoubleVector.fromArray(V, v, i);
      // exp(t), t = max(-|z|, -746)
      DoubleVector t = z.abs().neg().max(EXP_MIN);
      DoubleVector shifted = t.mul(LOG2E).add(SHIFTER);
      DoubleVector k = shifted.sub(SHIFTER);
      DoubleVector r = k.fma(NEG_LN2_LO, k.fma(NEG_LN2_HI, t));
      DoubleVector r2 = r.mul(r), r4 = r2.mul(r2), r8 = r4.mul(r4);
      DoubleVector d0 = r.fma(C5, C4).fma(r2, r.fma(C3, C2));
      DoubleVector d1 = r.fma(C9, C8).fma(r2, r.fma(C7, C6));
      DoubleVector d2 = r.fma(C13, C12).fma(r2, r.fma(C11, C10));
      DoubleVector rest = d2.fma(r8, d1.fma(r4, d0));
      DoubleVector p = rest.fma(r2, r).add(ONE);
      LongVector ni = shifted.reinterpretAsLongs().sub(SHIFTER_BITS);
      LongVector n1 = ni.add(L2048).lanewise(VectorOperators.LSHR, 1).sub(L1024);
      LongVector n2 = ni.sub(n1);
      DoubleVector s1 = n1.add(L1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector s2 = n2.add(L1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector e = p.mul(s1).mul(s2);
      // (z >= 0 ? 1 : e) / (1 + e)
      DoubleVector num = e.blend(ONE, z.compare(VectorOperators.GE, ZERO));
      num.div(e.add(ONE)).intoArray(v, i);
    }
    for (; i < end; i++) v[i] = Kernels.sigmoid(v[i]);
  }

  /**
   * {@link Kernels#logisticTerms}: one row per lane, {@link Kernels#expNonPositive}'s and
   * {@link Kernels#log1pUnit}'s operations in the same order (the selections of log1pUnit as
   * blends: both sides computed, the same one kept), the tail in the scalar form. One method for
   * the same reason as {@link #sigmoid}.
   */
  static void logisticTerms(double[] zs, int zo, int b, double bias, double[] y, double[] loss, double[] res) {
    int w = V.length();
    DoubleVector bv = DoubleVector.broadcast(V, bias);
    int i = 0;
    for (; i + w <= b; i += w) {
      DoubleVector z = DoubleVector.fromArray(V, zs, zo + i).add(bv);
      DoubleVector yv = DoubleVector.fromArray(V, y, i);
      // e = exp(t), t = max(-|z|, -746)
      DoubleVector t = z.abs().neg().max(EXP_MIN);
      DoubleVector shifted = t.mul(LOG2E).add(SHIFTER);
      DoubleVector k = shifted.sub(SHIFTER);
      DoubleVector r = k.fma(NEG_LN2_LO, k.fma(NEG_LN2_HI, t));
      DoubleVector r2 = r.mul(r), r4 = r2.mul(r2), r8 = r4.mul(r4);
      DoubleVector d0 = r.fma(C5, C4).fma(r2, r.fma(C3, C2));
      DoubleVector d1 = r.fma(C9, C8).fma(r2, r.fma(C7, C6));
      DoubleVector d2 = r.fma(C13, C12).fma(r2, r.fma(C11, C10));
      DoubleVector rest = d2.fma(r8, d1.fma(r4, d0));
      DoubleVector p = rest.fma(r2, r).add(ONE);
      LongVector ni = shifted.reinterpretAsLongs().sub(SHIFTER_BITS);
      LongVector n1 = ni.add(L2048).lanewise(VectorOperators.LSHR, 1).sub(L1024);
      LongVector n2 = ni.sub(n1);
      DoubleVector s1 = n1.add(L1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector s2 = n2.add(L1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector e = p.mul(s1).mul(s2);
      // log1p(e)
      VectorMask<Double> reduce = e.compare(VectorOperators.GT, SQRT2_M1);
      DoubleVector u = e.add(ONE);
      DoubleVector c = ZERO.blend(u.sub(ONE).sub(e), reduce);
      DoubleVector f = e.blend(u.mul(HALF).sub(ONE), reduce);
      DoubleVector kk = ZERO.blend(ONE, reduce);
      DoubleVector s = f.div(f.add(TWO));
      DoubleVector zz = s.mul(s), ww = zz.mul(zz);
      DoubleVector rr = zz.mul(LG1.add(ww.mul(LG3.add(ww.mul(LG5.add(ww.mul(LG7)))))))
          .add(ww.mul(LG2.add(ww.mul(LG4.add(ww.mul(LG6))))));
      DoubleVector h = HALF.mul(f).mul(f);
      DoubleVector log = kk.mul(LN2_HI).sub(h.sub(s.mul(h.add(rr)).add(kk.mul(LN2_LO))).sub(f)).sub(c.div(u));
      // (max(z, 0) + log1p(e)) - y·z, and (z >= 0 ? 1 : e)/(1 + e) - y
      z.max(ZERO).add(log).sub(yv.mul(z)).intoArray(loss, i);
      e.blend(ONE, z.compare(VectorOperators.GE, ZERO)).div(u).sub(yv).intoArray(res, i);
    }
    for (; i < b; i++) Kernels.logisticTerm(zs[zo + i] + bias, y, i, loss, res);
  }

  // sigmoid's constants as vectors: a scalar argument costs C2 a broadcast call to inline each time
  private static final DoubleVector ZERO = bc(0.0), ONE = bc(1.0), EXP_MIN = bc(-746.0),
      LOG2E = bc(Kernels.LOG2E), SHIFTER = bc(Kernels.SHIFTER), NEG_LN2_HI = bc(-Kernels.LN2_HI),
      NEG_LN2_LO = bc(-Kernels.LN2_LO), C2 = bc(Kernels.C2), C3 = bc(Kernels.C3), C4 = bc(Kernels.C4),
      C5 = bc(Kernels.C5), C6 = bc(Kernels.C6), C7 = bc(Kernels.C7), C8 = bc(Kernels.C8), C9 = bc(Kernels.C9),
      C10 = bc(Kernels.C10), C11 = bc(Kernels.C11), C12 = bc(Kernels.C12), C13 = bc(Kernels.C13),
      HALF = bc(0.5), TWO = bc(2.0), SQRT2_M1 = bc(Kernels.SQRT2_M1), LN2_HI = bc(Kernels.LN2_HI),
      LN2_LO = bc(Kernels.LN2_LO), LG1 = bc(Kernels.LG1), LG2 = bc(Kernels.LG2), LG3 = bc(Kernels.LG3),
      LG4 = bc(Kernels.LG4), LG5 = bc(Kernels.LG5), LG6 = bc(Kernels.LG6), LG7 = bc(Kernels.LG7);
  private static final LongVector SHIFTER_BITS = lc(Kernels.SHIFTER_BITS), L2048 = lc(2048), L1024 = lc(1024),
      L1023 = lc(1023);

  private static DoubleVector bc(double c) {
    return DoubleVector.broadcast(V, c);
  }

  private static LongVector lc(long c) {
    return LongVector.broadcast(V.withLanes(long.class), c);
  }
}
