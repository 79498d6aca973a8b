package io.adaspark.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD forms of {@link Kernels}' dense kernels, written with {@code jdk.incubator.vector}.
 * Every method performs exactly the IEEE operations of its scalar twin in {@link Kernels}, in
 * the same order, so the two give the same bits (tested on random data, NaN and infinities
 * included); which one runs is {@link Kernels#SIMD}, decided once per JVM.
 *
 * <p>Rules that keep the bits fixed: lane-wise {@code mul} then {@code add} (never {@code fma}:
 * Java never fuses the scalar {@code s += a*b}), never {@code reduceLanes} (its order is
 * unspecified), and a fixed species ({@link #S}, 4 doubles) rather than
 * {@code SPECIES_PREFERRED}, so that the partial sums are the same on every machine.
 *
 * <p>Only {@link Kernels} refers to this class, and only when {@link Kernels#SIMD} holds, so
 * it (and the incubator module) is never loaded on a JVM started without
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorKernels {
  private VectorKernels() {}

  /** 4 doubles: two vectors hold the 8 partial sums of {@link Kernels#dot}. */
  static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  /** Bits of the widest vector the JIT compiles to machine vectors here. */
  static int preferredBits() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /** {@link Kernels#dot}: partial sums {@code s_k} (k = l mod 8) in two 4-lane vectors. */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
    int l = 0;
    for (; l + 7 < n; l += 8) {
      s0 = s0.add(DoubleVector.fromArray(S, a, ao + l).mul(DoubleVector.fromArray(S, b, bo + l)));
      s1 = s1.add(DoubleVector.fromArray(S, a, ao + l + 4).mul(DoubleVector.fromArray(S, b, bo + l + 4)));
    }
    DoubleVector v = s0.add(s1);  // lane k: s_k + s_{k+4}
    double s = (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
    for (; l < n; l++) s += a[ao + l] * b[bo + l];
    return s;
  }

  /** {@link Kernels#dot2}: two dots sharing the loads of {@code a}. */
  static void dot2(double[] a, int ao, double[] b, int b0, int b1, int n, double[] out, int o) {
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
    DoubleVector v = s0.add(s1), w = t0.add(t1);
    double s = (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
    double t = (w.lane(0) + w.lane(1)) + (w.lane(2) + w.lane(3));
    for (; l < n; l++) {
      s += a[ao + l] * b[b0 + l];
      t += a[ao + l] * b[b1 + l];
    }
    out[o] = s;
    out[o + 1] = t;
  }

  /** {@link Kernels#dot4}: four dots sharing the loads of {@code a}. */
  static void dot4(double[] a, int ao, double[] b, int b0, int n, double[] out, int o) {
    int b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    DoubleVector p0 = DoubleVector.zero(S), p1 = p0, q0 = p0, q1 = p0, u0 = p0, u1 = p0, v0 = p0, v1 = p0;
    int l = 0;
    for (; l + 7 < n; l += 8) {
      DoubleVector x0 = DoubleVector.fromArray(S, a, ao + l);
      DoubleVector x1 = DoubleVector.fromArray(S, a, ao + l + 4);
      p0 = p0.add(x0.mul(DoubleVector.fromArray(S, b, b0 + l)));
      p1 = p1.add(x1.mul(DoubleVector.fromArray(S, b, b0 + l + 4)));
      q0 = q0.add(x0.mul(DoubleVector.fromArray(S, b, b1 + l)));
      q1 = q1.add(x1.mul(DoubleVector.fromArray(S, b, b1 + l + 4)));
      u0 = u0.add(x0.mul(DoubleVector.fromArray(S, b, b2 + l)));
      u1 = u1.add(x1.mul(DoubleVector.fromArray(S, b, b2 + l + 4)));
      v0 = v0.add(x0.mul(DoubleVector.fromArray(S, b, b3 + l)));
      v1 = v1.add(x1.mul(DoubleVector.fromArray(S, b, b3 + l + 4)));
    }
    DoubleVector p = p0.add(p1), q = q0.add(q1), u = u0.add(u1), v = v0.add(v1);
    double sp = (p.lane(0) + p.lane(1)) + (p.lane(2) + p.lane(3));
    double sq = (q.lane(0) + q.lane(1)) + (q.lane(2) + q.lane(3));
    double su = (u.lane(0) + u.lane(1)) + (u.lane(2) + u.lane(3));
    double sv = (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
    for (; l < n; l++) {
      double xl = a[ao + l];
      sp += xl * b[b0 + l];
      sq += xl * b[b1 + l];
      su += xl * b[b2 + l];
      sv += xl * b[b3 + l];
    }
    out[o] = sp;
    out[o + 1] = sq;
    out[o + 2] = su;
    out[o + 3] = sv;
  }

  /**
   * {@link Kernels#addScaledRows}: features in lanes (each lane is one feature's own running
   * sum, so the lanes cannot change its order), four rows per load and store of {@code g}.
   */
  static void addScaledRows(double[] x, int xo, int d, int b, double[] r, double[] g, int go) {
    int d4 = d & ~3;
    int i = 0;
    for (; i + 3 < b; i += 4) {
      int o0 = xo + i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
      double r0 = r[i], r1 = r[i + 1], r2 = r[i + 2], r3 = r[i + 3];
      int l = 0;
      for (; l < d4; l += 4) {
        DoubleVector acc = DoubleVector.fromArray(S, g, go + l);
        acc = acc.add(DoubleVector.fromArray(S, x, o0 + l).mul(r0));
        acc = acc.add(DoubleVector.fromArray(S, x, o1 + l).mul(r1));
        acc = acc.add(DoubleVector.fromArray(S, x, o2 + l).mul(r2));
        acc = acc.add(DoubleVector.fromArray(S, x, o3 + l).mul(r3));
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
      for (; l < d4; l += 4) {
        DoubleVector acc = DoubleVector.fromArray(S, g, go + l);
        acc.add(DoubleVector.fromArray(S, x, o0 + l).mul(r0)).intoArray(g, go + l);
      }
      for (; l < d; l++) g[go + l] += x[o0 + l] * r0;
    }
  }
}
