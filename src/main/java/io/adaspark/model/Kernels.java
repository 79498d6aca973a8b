package io.adaspark.model;

/**
 * The dense inner kernels of {@link Inputs}, each in one documented operation order that
 * depends only on its lengths — never on the machine, the JVM's vector support, the number of
 * fused parameter vectors or the other values — so that results are bit-identical everywhere.
 *
 * <p>Each kernel has a scalar form here and a SIMD form in {@link VectorKernels} with exactly
 * the same IEEE operations in the same order (lane-wise multiply then add where the scalar form
 * writes {@code a*b + c}, which Java never fuses; lane-wise fma where it writes
 * {@link Math#fma}). {@link #SIMD} picks the SIMD
 * form when the JVM has {@code jdk.incubator.vector} (the Spark launcher and the tests add it)
 * and compiles 256-bit vectors to machine code; otherwise the scalar form runs, with the same
 * bits, only slower. {@code -Dadaspark.simd=false} forces the scalar form.
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
    dot4(a, ao, b, b0, b, b0 + n, b, b0 + 2 * n, b, b0 + 3 * n, n, out, o, 1);
  }

  /**
   * Four {@link #dot}s of one row {@code a} with four weight vectors anywhere (the runs of a
   * fused logistic product): {@code out[o + k·os] = dot(a, w_k at o_k)} for k = 0..3, each with
   * exactly the operations of {@link #dot}, so an output's bits do not depend on whether it is
   * computed here or by {@link #dot}, nor on the other three vectors.
   */
  static void dot4(double[] a, int ao, double[] w0, int o0, double[] w1, int o1, double[] w2, int o2,
                   double[] w3, int o3, int n, double[] out, int o, int os) {
    if (SIMD) {
      VectorKernels.dot4(a, ao, w0, o0, w1, o1, w2, o2, w3, o3, n, out, o, os);
    } else {
      out[o] = scalarDot(a, ao, w0, o0, n);
      out[o + os] = scalarDot(a, ao, w1, o1, n);
      out[o + 2 * os] = scalarDot(a, ao, w2, o2, n);
      out[o + 3 * os] = scalarDot(a, ao, w3, o3, n);
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

  /**
   * {@code C += Σ_s a_s ⊗ b_s}: for p &lt; np, q &lt; nq, {@code c[co + p·ldc + q] ← fma(a_(ns-1)p,
   * b_(ns-1)q, … fma(a_1p, b_1q, fma(a_0p, b_0q, c)) …)}, where {@code a_sp = a[ao + s·as + p·ap]}
   * and {@code b_sq = b[bo + s·ldb + q]}: one sequential sum per element of C in increasing s,
   * starting from C's own value, each term a fused multiply-add (one rounding, IEEE 754
   * {@code fusedMultiplyAdd}: {@link Math#fma} in the scalar form, the lane-wise {@code FMA} in
   * the SIMD one, so both give the same bits). The order depends on nothing but s — not on np, nq,
   * the other elements, the blocking or the machine — so calling it on consecutive ranges of s
   * gives the same bits as one call over all of them, and an element's bits do not depend on how
   * many others are computed beside it.
   *
   * <p>It is the dense first-layer product and gradient of an MLP and softmax regression's
   * gradient ({@code X·Wᵀ} for m ≥ {@code Inputs.WIDE}, {@code Δᵀ·X}), so their bits depend on
   * the data and the rows' order only — not on the number of fused runs, the BLAS installed or
   * the executor. The SIMD form keeps a block of 8 (AVX-512) or 6 (AVX2) rows of C by two vectors of columns in
   * registers through the whole sum over s (each lane is one element's own running sum, so the
   * vector width cannot change the order). FMA rather than multiply-then-add, unlike the other
   * kernels here: on an AVX-512 Xeon the gradient of [100, 64] ran 3× slower than OpenBLAS's
   * dgemm with separate multiplies and adds, which need twice the instructions
   * (BENCHMARKS.md, "MLP kernel"). Where the CPU has no FMA instruction {@link Math#fma} is
   * computed in software: the same bits, far slower.
   */
  static void addOuterProducts(int ns, int np, int nq, double[] a, int ao, int as, int ap,
                               double[] b, int bo, int ldb, double[] c, int co, int ldc) {
    if (SIMD) {
      VectorKernels.addOuterProducts(ns, np, nq, a, ao, as, ap, b, bo, ldb, c, co, ldc);
    } else {
      scalarAddOuterProducts(ns, np, nq, a, ao, as, ap, b, bo, ldb, c, co, ldc);
    }
  }

  static void scalarAddOuterProducts(int ns, int np, int nq, double[] a, int ao, int as, int ap,
                                     double[] b, int bo, int ldb, double[] c, int co, int ldc) {
    for (int p = 0; p < np; p++) {
      int cp = co + p * ldc;
      for (int s = 0; s < ns; s++) {  // a row of C at a time: C2 vectorizes the loop over q
        double as0 = a[ao + s * as + p * ap];
        int bs = bo + s * ldb;
        for (int q = 0; q < nq; q++) c[cp + q] = Math.fma(as0, b[bs + q], c[cp + q]);
      }
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

  /**
   * The logistic sigmoid {@code 1/(1+exp(-z))} of each of {@code v[o .. o+n)}, in place: with
   * {@code e = }{@link #expNonPositive}{@code (-|z|)}, {@code 1/(1+e)} for z ≥ 0 and
   * {@code e/(1+e)} for z &lt; 0 (no overflow for either sign). Within 2 ulp of the same formula on
   * {@link StrictMath#exp} (SigmoidKernelTest), and the same bits in the scalar and SIMD forms
   * on every machine — unlike {@link Math#exp}, whose last bit Java leaves to the platform
   * (an x86 and an ARM executor may differ) and which costs about 12 ns a call: a third of an
   * MLP pass with sigmoid hidden units (BENCHMARKS.md, "MLP kernel, third round").
   */
  static void sigmoid(double[] v, int o, int n) {
    if (SIMD) {
      VectorKernels.sigmoid(v, o, n);
    } else {
      for (int i = o; i < o + n; i++) v[i] = sigmoid(v[i]);
    }
  }

  /** {@link #sigmoid(double[], int, int)} of one value. */
  static double sigmoid(double z) {
    double e = expNonPositive(-Math.abs(z));
    return (z >= 0 ? 1.0 : e) / (1 + e);
  }

  /** log₂ e, rounded. */
  static final double LOG2E = 1.4426950408889634;
  /** 1.5·2⁵²: adding it rounds a double of magnitude below 2⁵¹ to an integer (ties to even). */
  static final double SHIFTER = 0x1.8p52;
  /** The bits of {@link #SHIFTER}: those of {@code SHIFTER + n} minus these are n. */
  static final long SHIFTER_BITS = 0x4338000000000000L;
  /** ln 2 in two parts (fdlibm's): the high part has 32 significant bits, so n·LN2_HI is exact. */
  static final double LN2_HI = 6.93147180369123816490e-01;
  static final double LN2_LO = 1.90821492927058770002e-10;
  /** 1/k! for k = 2..13, the Taylor coefficients of exp beyond 1 + r. */
  static final double C2 = 1.0 / 2, C3 = 1.0 / 6, C4 = 1.0 / 24, C5 = 1.0 / 120, C6 = 1.0 / 720,
      C7 = 1.0 / 5040, C8 = 1.0 / 40320, C9 = 1.0 / 362880, C10 = 1.0 / 3628800,
      C11 = 1.0 / 39916800, C12 = 1.0 / 479001600, C13 = 1.0 / 6227020800.0;

  /**
   * {@code exp(t)} for t ≤ 0 (or NaN), in these IEEE operations only, so that it has the same
   * bits on every JVM and in the lanes of {@link VectorKernels#sigmoid}:
   * <ol>
   *   <li>{@code t = max(t, -746)} (below, exp(t) rounds to 0; −∞ gives 0, NaN stays NaN);</li>
   *   <li>{@code n = (t·log₂e + 1.5·2⁵²) − 1.5·2⁵²}, the nearest integer to t/ln 2;</li>
   *   <li>{@code r = fma(n, −LN2_LO, fma(n, −LN2_HI, t))}, |r| ≤ ln2/2 (Cody–Waite: the inner
   *       fma is exact);</li>
   *   <li>{@code p = e^r = 1 + (r + r²·s(r))}, the Taylor polynomial of degree 13 (truncation
   *       below 10⁻¹⁷ of p), with s(r) = Σ_{k=2..13} r^{k−2}/k! by Estrin's scheme: pairs
   *       {@code b_j = fma(r, c_{2j+3}, c_{2j+2})} (j = 0..5, c_k = 1/k!), then
   *       {@code d_i = fma(b_{2i+1}, r², b_{2i})}, then
   *       {@code s = fma(d₂, r⁸, fma(d₁, r⁴, d₀))} (r² = r·r, r⁴ = r²·r², r⁸ = r⁴·r⁴), and
   *       {@code p = 1 + fma(s, r², r)} — six dependent steps instead of Horner's thirteen, which
   *       left the SIMD form waiting on latency at half the speed;</li>
   *   <li>{@code p·2ⁿ} as {@code (p·2^n₁)·2^n₂} with n₁ = ⌊(n + 2048)/2⌋ − 1024 and
   *       n₂ = n − n₁, powers built from their exponent bits: the first product is exact and the
   *       second rounds once, also into the subnormals.</li>
   * </ol>
   * Within 1 ulp of {@link StrictMath#exp} over [−746, 0] (SigmoidKernelTest); exp(0) = 1.
   */
  static double expNonPositive(double t) {
    t = Math.max(t, -746.0);
    double shifted = t * LOG2E + SHIFTER;
    double n = shifted - SHIFTER;
    double r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, t));
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double d0 = Math.fma(Math.fma(r, C5, C4), r2, Math.fma(r, C3, C2));
    double d1 = Math.fma(Math.fma(r, C9, C8), r2, Math.fma(r, C7, C6));
    double d2 = Math.fma(Math.fma(r, C13, C12), r2, Math.fma(r, C11, C10));
    double rest = Math.fma(d2, r8, Math.fma(d1, r4, d0));
    double p = 1 + Math.fma(rest, r2, r);
    long ni = Double.doubleToRawLongBits(shifted) - SHIFTER_BITS;
    long n1 = ((ni + 2048) >>> 1) - 1024;
    long n2 = ni - n1;
    return p * Double.longBitsToDouble((n1 + 1023) << 52) * Double.longBitsToDouble((n2 + 1023) << 52);
  }

  /** √2 − 1, rounded: above it {@link #log1pUnit} reduces 1 + e by a factor of 2. */
  static final double SQRT2_M1 = 0.41421356237309503;
  /** fdlibm's {@code e_log.c} coefficients: log((1+s)/(1−s)) = 2s + s·R(s²) for |s| ≤ 0.1716. */
  static final double LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01,
      LG3 = 2.857142874366239149e-01, LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01,
      LG6 = 1.531383769920937332e-01, LG7 = 1.479819860511658591e-01;

  /**
   * {@code log(1 + e)} for e in [0, 1] (the {@code e = exp(-|z|)} of the logistic loss), or NaN,
   * in these IEEE operations only (no fma), so that it has the same bits on every JVM and in the
   * lanes of {@link VectorKernels#logisticTerms} — unlike {@link Math#log}, whose last bit Java
   * leaves to the platform. fdlibm's {@code log} ({@code e_log.c}) on 1 + e without forming it
   * where that would round:
   * <ol>
   *   <li>e ≤ √2 − 1: {@code f = e}, {@code k = 0}, {@code c = 0};</li>
   *   <li>else {@code u = 1 + e} (rounded), {@code c = (u − 1) − e} (exactly its rounding
   *       error), {@code f = 0.5·u − 1} (exact), {@code k = 1}: 1 + e = 2·(1 + f) + c;</li>
   *   <li>{@code s = f/(2 + f)}, {@code z = s·s}, {@code w = z·z},
   *       {@code R = z·(LG1 + w·(LG3 + w·(LG5 + w·LG7))) + w·(LG2 + w·(LG4 + w·LG6))},
   *       {@code h = 0.5·f·f};</li>
   *   <li>{@code log = k·LN2_HI − ((h − (s·(h + R) + k·LN2_LO)) − f)} (with k = 0 this is
   *       fdlibm's {@code f − (h − s·(h + R))}: the zero terms are exact), then
   *       {@code log − c/(1 + e rounded)} (first order in c, whose square is below 2⁻¹⁰⁶).</li>
   * </ol>
   * Within 1 ulp of {@link StrictMath#log1p} over [0, 1] (LossesTest); log1pUnit(0) = +0.
   */
  static double log1pUnit(double e) {
    boolean reduce = e > SQRT2_M1;
    double u = 1 + e;
    double c = reduce ? (u - 1) - e : 0.0;
    double f = reduce ? 0.5 * u - 1 : e;
    double k = reduce ? 1.0 : 0.0;
    double s = f / (2 + f);
    double z = s * s, w = z * z;
    double r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
    double h = 0.5 * f * f;
    double log = k * LN2_HI - ((h - (s * (h + r) + k * LN2_LO)) - f);
    return log - c / u;
  }

  /**
   * The per-row terms of the binary logistic loss and its residuals, for b rows of logits
   * {@code z[zo + i] + bias} with labels {@code y[i]} (0 or 1): with {@code e} =
   * {@link #expNonPositive}{@code (−|z|)},
   * {@code loss[i] = (max(z, 0) + }{@link #log1pUnit}{@code (e)) − y·z} and
   * {@code r[i] = (z ≥ 0 ? 1 : e)/(1 + e) − y} (σ(z) − y, exactly {@link #sigmoid(double)}). The
   * SIMD form computes four or eight rows per step with the same operations; the caller sums
   * the terms in row order.
   */
  static void logisticTerms(double[] z, int zo, int b, double bias, double[] y, double[] loss, double[] r) {
    if (SIMD) {
      VectorKernels.logisticTerms(z, zo, b, bias, y, loss, r);
    } else {
      for (int i = 0; i < b; i++) logisticTerm(z[zo + i] + bias, y, i, loss, r);
    }
  }

  /** {@link #logisticTerms} of one row (logit {@code zi}, label {@code y[i]}) into {@code loss[i]}, {@code r[i]}. */
  static void logisticTerm(double zi, double[] y, int i, double[] loss, double[] r) {
    double e = expNonPositive(-Math.abs(zi));
    loss[i] = (Math.max(zi, 0) + log1pUnit(e)) - y[i] * zi;
    r[i] = (zi >= 0 ? 1.0 : e) / (1 + e) - y[i];
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
}
