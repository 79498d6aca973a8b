package io.adaspark.model;

import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DenseBlock;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Standalone microbenchmark of the full-pass kernels of benchmark rows 5/6, 8 and 10, one
 * partition's share per thread (not a test: no {@code @Test}, run by hand):
 *
 * <pre>
 *   mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt; mvn -q -o test-compile
 *   java --add-modules=jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt) \
 *       io.adaspark.model.KernelMicroBench [what=logreg,csr,mlp,parts,rounds,fused] [threads=1] [reps=9]
 * </pre>
 *
 * (without {@code --add-modules} or with {@code -Dadaspark.simd=false} the scalar forms of
 * {@link Kernels} run: same bits, other speed).
 *
 * Data like {@code io.adaspark.bench.Synthetic}: values uniform on [−√3, √3] rounded to 3
 * decimals; dense 500,000 × 100, CSR 500,000 × 100,000 with 50 non-zeros a row (one per
 * stratum), Bernoulli labels. Each thread works on its own block (as the 2 partitions of
 * {@code local[2]} do). Prints the median and minimum seconds of a full
 * {@code addLossGradientFused} over the block with θ = the bench's (zeros for logistic
 * regression, Glorot for the MLP) and with a random θ.
 */
public final class KernelMicroBench {
  private KernelMicroBench() {}

  static double v(SplittableRandom r) {
    return Math.rint((2 * r.nextDouble() - 1) * 1732.0) / 1000.0;
  }

  static DenseBlock dense(long seed, int n, int d) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) x[i] = v(r);
    for (int i = 0; i < n; i++) y[i] = r.nextInt(2);
    return new DenseBlock(n, d, x, y);
  }

  static CsrBlock csr(long seed, int n, int d, int nnz) {
    SplittableRandom r = new SplittableRandom(seed);
    int stratum = d / nnz;
    int[] indptr = new int[n + 1];
    int[] idx = new int[n * nnz];
    double[] val = new double[n * nnz];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < nnz; k++) {
        idx[i * nnz + k] = k * stratum + r.nextInt(stratum);
        val[i * nnz + k] = v(r);
      }
      indptr[i + 1] = (i + 1) * nnz;
      y[i] = r.nextInt(2);
    }
    return new CsrBlock(n, d, indptr, idx, val, y);
  }

  interface Pass {
    void run(int thread);
  }

  static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Times the passes interleaved rep by rep (so that load drift hits all alike): wall time and
   * the workers' own CPU time (mean over threads), which other processes disturb much less.
   */
  static void ab(int threads, int reps, String[] names, Pass... passes) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(threads);
    try {
      double[][] t = new double[passes.length][reps];
      double[][] c = new double[passes.length][reps];
      for (int rep = -5; rep < reps; rep++) {
        for (int q = 0; q < passes.length; q++) {
          Pass pass = passes[q];
          long t0 = System.nanoTime();
          @SuppressWarnings("unchecked")
          Future<Long>[] f = new Future[threads];
          for (int k = 0; k < threads; k++) {
            int kk = k;
            f[k] = ex.submit(() -> {
              long c0 = cpu();
              pass.run(kk);
              return cpu() - c0;
            });
          }
          long cs = 0;
          for (Future<Long> ff : f) cs += ff.get();
          if (rep >= 0) {
            t[q][rep] = (System.nanoTime() - t0) / 1e9;
            c[q][rep] = cs / 1e9 / threads;
          }
        }
      }
      for (int q = 0; q < passes.length; q++) {
        Arrays.sort(t[q]);
        Arrays.sort(c[q]);
        System.out.printf("%-44s cpu median %.4f min %.4f s | wall median %.4f min %.4f s%n", names[q],
            c[q][reps / 2], c[q][0], t[q][reps / 2], t[q][0]);
      }
    } finally {
      ex.shutdown();
    }
  }

  static void time(String name, int threads, int reps, Pass pass) throws Exception {
    ab(threads, reps, new String[] {name}, pass);
  }

  /** The product before this branch: dot2 over output pairs, then dot, row by row. */
  static void oldProduct(double[] x, int d, int b, double[] w, int m, double[] out) {
    int r = 0;
    for (; r + 1 < m; r += 2) {
      for (int i = 0; i < b; i++) Kernels.dot2(x, i * d, w, r * d, (r + 1) * d, d, out, r + i * m);
    }
    for (; r < m; r++) {
      for (int i = 0; i < b; i++) out[r + i * m] = Kernels.dot(x, i * d, w, r * d, d);
    }
  }

  /** The dot before this branch: four interleaved partial sums (k = l mod 4), then the tail. */
  static double dot4(double[] a, int ao, double[] b, int bo, int n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int l = 0;
    for (; l + 3 < n; l += 4) {
      s0 += a[ao + l] * b[bo + l];
      s1 += a[ao + l + 1] * b[bo + l + 1];
      s2 += a[ao + l + 2] * b[bo + l + 2];
      s3 += a[ao + l + 3] * b[bo + l + 3];
    }
    double s = (s0 + s1) + (s2 + s3);
    for (; l < n; l++) s += a[ao + l] * b[bo + l];
    return s;
  }

  /**
   * The dense logistic pass of {@link BinaryLogisticRegression#addLossGradientFused} (T = 1,
   * all rows) written out with rounds of {@code step} rows inside each 256-row chunk; with
   * {@code before} the kernels before this branch (dot4, dgemv). Returns the loss.
   */
  static double roundsPass(DenseBlock blk, double[] w, int step, boolean before) {
    double[] x = blk.x(), yy = blk.y(), g = new double[w.length];
    int n = blk.numRows(), d = blk.numFeatures();
    double[] z = new double[Inputs.CHUNK], r = new double[Inputs.CHUNK];
    double total = 0, bias = w[d];
    for (int start = 0; start < n; start += Inputs.CHUNK) {
      int cb = Math.min(Inputs.CHUNK, n - start);
      double loss = 0, rsum = 0;
      for (int s = start; s < start + cb; s += step) {
        int b = Math.min(step, start + cb - s), off = s * d;
        for (int i = 0; i < b; i++) z[i] = before ? dot4(x, off + i * d, w, 0, d) : Kernels.dot(x, off + i * d, w, 0, d);
        for (int i = 0; i < b; i++) {
          double zi = z[i] + bias;
          int y = (int) yy[s + i];
          Losses.checkLabel(y, 2);
          double e = Math.exp(-Math.abs(zi));
          loss += Math.max(zi, 0) + log1pMath(e) - y * zi;
          r[i] = (zi >= 0 ? 1.0 : e) / (1 + e) - y;
          rsum += r[i];
        }
        if (before) {
          Inputs.BLAS_INSTANCE.dgemv("N", d, b, 1.0, x, off, d, r, 0, 1, 1.0, g, 0, 1);
        } else {
          Kernels.addScaledRows(x, off, d, b, r, g, 0);
        }
      }
      g[d] += rsum;
      total += loss;
    }
    return total + g[0];
  }

  static double[] random(int p, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] t = new double[p];
    for (int i = 0; i < p; i++) t[i] = scale * r.nextGaussian();
    return t;
  }

  static void phases(String label, DataBlock[] db, int n, int d, int[] modes, int th, int reps) throws Exception {
    {
      // the dense logistic pass with phases switched off: 1 = product, 2 = losses, 4 = gradient
      double[] w0 = random(d + 1, 5, 0.2);
      Pass[] ps = new Pass[modes.length];
      String[] names = new String[modes.length];
      for (int q = 0; q < modes.length; q++) {
        int mode = modes[q];
        names[q] = "phases " + label + " " + ((mode & 1) != 0 ? "product " : "") + ((mode & 2) != 0 ? "losses " : "")
            + ((mode & 4) != 0 ? "gradient" : "") + ((mode & 16) != 0 ? " (dgemv)" : "")
            + ((mode & 32) != 0 ? " (old losses)" : "");
        if (mode == 8) {
          names[q] = "phases: the model's addLossGradientFused";
          BinaryLogisticRegression lr = new BinaryLogisticRegression(d, 0);
          ps[q] = k -> lr.addLossGradientFused(new double[][] {w0}, db[k], null, n, new double[1][d + 1]);
          continue;
        }
        boolean check = mode == 15;
        if (check) names[q] = "phases all + checkLabel + rsum";
        ps[q] = k -> {
          Inputs in = Inputs.of(db[k], null, n);
          double[][] ths = {w0};
          double[] z = new double[Inputs.CHUNK], r = new double[Inputs.CHUNK], g = new double[d + 1];
          double loss = 0;
          for (int s0 = 0; s0 < n; s0 += Inputs.CHUNK) {
            int b = Math.min(Inputs.CHUNK, n - s0);
            in.load(s0, b);
            if ((mode & 1) != 0) in.multiplyTransposed(ths, 1, z);
            if ((mode & 2) != 0) {
              for (int i = 0; i < b; i++) {
                double zi = z[i] + w0[d];
                int y = in.label(i);
                if (check) Losses.checkLabel(y, 2);
                if ((mode & 32) != 0) {
                  loss += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - y * zi;
                  double sg;
                  if (zi >= 0) {
                    sg = 1 / (1 + Math.exp(-zi));
                  } else {
                    double e = Math.exp(zi);
                    sg = e / (1 + e);
                  }
                  r[i] = sg - y;
                } else {
                  double e = Math.exp(-Math.abs(zi));
                  loss += Math.max(zi, 0) + log1pMath(e) - y * zi;
                  r[i] = (zi >= 0 ? 1.0 : e) / (1 + e) - y;
                }
                if (check) g[d] += r[i];
              }
            }
            if ((mode & 16) != 0) {
              Inputs.BLAS_INSTANCE.dgemv("N", d, b, 1.0, ((DenseBlock) db[k]).x(), s0 * d, d, r, 0, 1, 1.0, g, 0, 1);
            } else if ((mode & 4) != 0) {
              in.addTransposedProduct(r, 1, g);
            }
          }
          if (loss + g[3] == 42) System.out.print("");
        };
      }
      ab(th, reps, names, ps);
    }
  }

  public static void main(String[] args) throws Exception {
    String what = "logreg,csr,mlp,parts";
    int threads = 1, reps = 9;
    for (String a : args) {
      if (a.startsWith("what=")) what = a.substring(5);
      if (a.startsWith("threads=")) threads = Integer.parseInt(a.substring(8));
      if (a.startsWith("reps=")) reps = Integer.parseInt(a.substring(5));
    }
    int n = 500_000, d = 100;
    int th = threads;
    System.out.printf("threads %d, reps %d, n %d per thread, BLAS %s, Kernels.SIMD %b%n", threads, reps, n,
        Inputs.BLAS_INSTANCE.getClass().getName(), Kernels.SIMD);
    DataBlock[] blocks = null;
    if (what.contains("logreg") || what.contains("mlp") || what.contains("parts") || what.contains("phases")
        || what.contains("rounds") || what.contains("fused")) {
      blocks = new DataBlock[th];
      for (int k = 0; k < th; k++) blocks[k] = dense(11 + k, n, d);
    }
    DataBlock[] db = blocks;
    if (what.contains("logreg")) {
      BinaryLogisticRegression m = new BinaryLogisticRegression(d, 0);
      for (double[] theta : new double[][] {new double[d + 1], random(d + 1, 5, 0.2)}) {
        double[][] th1 = {theta};
        time("logreg dense " + (theta[0] == 0 ? "theta=0" : "theta random"), th, reps,
            k -> m.addLossGradientFused(th1, db[k], null, n, new double[1][d + 1]));
      }
    }
    if (what.contains("rounds")) {
      // the dense logistic pass (θ = 0 as in the bench, then random): whole 256-row chunks
      // (product, losses, gradient) against 4-row rounds (BinaryLogisticRegression.STREAM_ROWS),
      // and the pass before this branch (four-sum scalar dot, VectorBLAS dgemv)
      for (double[] theta : new double[][] {new double[d + 1], random(d + 1, 5, 0.2)}) {
        String t = theta[0] == 0 ? "theta=0" : "theta random";
        ab(th, reps, new String[] {"rounds of 256 rows " + t, "rounds of 4 rows " + t, "before (dot4 + dgemv) " + t},
            k -> roundsPass((DenseBlock) db[k], theta, Inputs.CHUNK, false),
            k -> roundsPass((DenseBlock) db[k], theta, 4, false),
            k -> roundsPass((DenseBlock) db[k], theta, Inputs.CHUNK, true));
      }
    }
    if (what.contains("fused")) {
      // the dense logistic pass for T fused runs (an evaluation of a cohort, bench row 4) and its
      // parts: the product X·[w_1 … w_T], the T gradients Xᵀr (r = 0: the work, not the values)
      BinaryLogisticRegression m = new BinaryLogisticRegression(d, 0);
      for (int t : new int[] {1, 8, 32}) {
        double[][] ths = new double[t][];
        for (int j = 0; j < t; j++) ths[j] = random(d + 1, 100 + j, 0.1);
        ab(th, reps, new String[] {"fused logistic pass, T = " + t, "  product, T = " + t, "  gradients, T = " + t},
            k -> m.addLossGradientFused(ths, db[k], null, n, new double[t][d + 1]),
            k -> {
              Inputs in = Inputs.of(db[k], null, n);
              double[] z = new double[t * Inputs.CHUNK];
              for (int s0 = 0; s0 < n; s0 += Inputs.CHUNK) {
                in.load(s0, Math.min(Inputs.CHUNK, n - s0));
                in.multiplyTransposed(ths, 1, z);
              }
            },
            k -> {
              Inputs in = Inputs.of(db[k], null, n);
              double[] r = new double[Inputs.CHUNK];
              double[][] g = new double[t][d + 1];
              for (int s0 = 0; s0 < n; s0 += Inputs.CHUNK) {
                in.load(s0, Math.min(Inputs.CHUNK, n - s0));
                for (int j = 0; j < t; j++) in.addTransposedProduct(r, 1, g[j]);
              }
            });
      }
    }
    if (what.contains("phases")) phases("dense", db, n, d, new int[] {1, 7 | 16, 8, 7 | 48}, th, reps);
    if (what.contains("parts")) {
      // the pieces of the dense logistic pass, new (this branch) vs old (before) interleaved
      double[][] w = {random(d + 1, 5, 0.2)};
      int C = Inputs.CHUNK;
      ab(th, reps, new String[] {"  product (m=1)", "  product, scalar dot loop (m=1)",
          "  gradient (Kernels.addScaledRows, m=1)", "  gradient (dgemv, m=1)", "  memory stream (sum of x)"},
          k -> {
            Inputs in = Inputs.of(db[k], null, n);
            double[] z = new double[C];
            for (int s0 = 0; s0 < n; s0 += C) {
              in.load(s0, Math.min(C, n - s0));
              in.multiplyTransposed(w, 1, z);
            }
          },
          k -> {
            double[] x = ((DenseBlock) db[k]).x();
            double[] z = new double[C];
            for (int s0 = 0; s0 < n; s0 += C) {
              int b = Math.min(C, n - s0);
              for (int i = 0; i < b; i++) z[i] = Kernels.scalarDot(x, (s0 + i) * d, w[0], 0, d);
            }
          },
          k -> {
            double[] x = ((DenseBlock) db[k]).x();
            double[] r = new double[C];
            Arrays.fill(r, 0.25);
            double[] g = new double[d];
            for (int s0 = 0; s0 < n; s0 += C) Kernels.addScaledRows(x, s0 * d, d, Math.min(C, n - s0), r, g, 0);
          },
          k -> {
            double[] x = ((DenseBlock) db[k]).x();
            double[] r = new double[C];
            Arrays.fill(r, 0.25);
            double[] g = new double[d];
            for (int s0 = 0; s0 < n; s0 += C) {
              Inputs.BLAS_INSTANCE.dgemv("N", d, Math.min(C, n - s0), 1.0, x, s0 * d, d, r, 0, 1, 1.0, g, 0, 1);
            }
          },
          k -> {
            double[] x = ((DenseBlock) db[k]).x();
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int i = 0; i + 3 < x.length; i += 4) {
              s0 += x[i];
              s1 += x[i + 1];
              s2 += x[i + 2];
              s3 += x[i + 3];
            }
            if (s0 + s1 + s2 + s3 == 42) System.out.print("");
          });
      double[] zs = random(n, 9, 2);
      ab(th, reps, new String[] {"  loss+residual new (shared exp, log1pUnit)", "  loss+residual old (Losses 2x exp, log1p)"},
          k -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
              double zi = zs[i];
              int y = i & 1;
              double e = Math.exp(-Math.abs(zi));
              s += Math.max(zi, 0) + log1pMath(e) - y * zi;
              s += (zi >= 0 ? 1.0 : e) / (1 + e) - y;
            }
            if (s == 42) System.out.print("");
          },
          k -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
              double zi = zs[i];
              int y = i & 1;
              s += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - y * zi;
              double sg;
              if (zi >= 0) {
                sg = 1 / (1 + Math.exp(-zi));
              } else {
                double e = Math.exp(zi);
                sg = e / (1 + e);
              }
              s += sg - y;
            }
            if (s == 42) System.out.print("");
          });
    }
    if (what.contains("mlp")) {
      Mlp mlp = new Mlp(new int[] {d, 64, 2}, new Activation[] {Activation.SIGMOID}, 0);
      double[][] t1 = {mlp.initialParameters(3L)};
      time("mlp [100,64,2] sigmoid dense", th, reps,
          k -> mlp.addLossGradientFused(t1, db[k], null, n, new double[1][mlp.numParams()]));

      if (what.contains("parts")) {
        int C = Inputs.CHUNK;
        double[] dz = random(C * 64, 3, 0.1);
        double[] w1 = Arrays.copyOf(t1[0], 64 * d);
        ab(th, reps, new String[] {"  first-layer product (Inputs, m=64)", "  first-layer gradient (Inputs, m=64)",
            "  first-layer gradient before (dgemm)"},
            k -> {
              Inputs in = Inputs.of(db[k], null, n);
              double[] z = new double[C * 64];
              for (int s0 = 0; s0 < n; s0 += C) {
                in.load(s0, Math.min(C, n - s0));
                in.multiplyTransposed(t1, 64, z);
              }
            },
            k -> {
              Inputs in = Inputs.of(db[k], null, n);
              double[] g = new double[mlp.numParams()];
              for (int s0 = 0; s0 < n; s0 += C) {
                in.load(s0, Math.min(C, n - s0));
                in.addTransposedProduct(dz, 64, g);
              }
            },
            k -> {
              double[] x = ((DenseBlock) db[k]).x();
              double[] g = new double[mlp.numParams()];
              for (int s0 = 0; s0 < n; s0 += C) {
                Inputs.BLAS_INSTANCE.dgemm("N", "T", d, 64, Math.min(C, n - s0), 1.0, x, s0 * d, d, dz, 0, 64, 1.0, g, 0, d);
              }
            });
        // the hidden layer's sigmoid over a pass: n·64 values, a chunk at a time (as Mlp.Work.forward)
        double[] pre = random(C * 64, 4, 3.0);
        ab(th, reps, new String[] {"  sigmoid (Kernels.sigmoid, n*64 values)", "  sigmoid before (Math.exp)"},
            k -> {
              double[] h = new double[C * 64];
              for (int s0 = 0; s0 < n; s0 += C) {
                System.arraycopy(pre, 0, h, 0, h.length);
                Kernels.sigmoid(h, 0, Math.min(C, n - s0) * 64);
              }
            },
            k -> {
              double[] h = new double[C * 64];
              for (int s0 = 0; s0 < n; s0 += C) {
                System.arraycopy(pre, 0, h, 0, h.length);
                int m = Math.min(C, n - s0) * 64;
                for (int i = 0; i < m; i++) h[i] = sigmoidMath(h[i]);
              }
            });
      }
    }
    if (what.contains("csr")) {
      blocks = null;
      int sd = 100_000;
      CsrBlock[] cb = new CsrBlock[th];
      for (int k = 0; k < th; k++) cb[k] = csr(21 + k, n, sd, 50);
      if (what.contains("sphases")) phases("csr", cb, n, sd, new int[] {1, 7, 8, 7 | 32}, th, reps);
      BinaryLogisticRegression m = new BinaryLogisticRegression(sd, 0);
      for (double[] theta : new double[][] {new double[sd + 1], random(sd + 1, 5, 0.2)}) {
        double[][] th1 = {theta};
        time("logreg csr " + (theta[0] == 0 ? "theta=0" : "theta random"), th, reps,
            k -> m.addLossGradientFused(th1, cb[k], null, n, new double[1][sd + 1]));
      }
    }
  }

  /** log(1 + e) on the intrinsic {@link Math#log}: the logistic loss's log1p before the fixed-operation one. */
  static double log1pMath(double e) {
    double u = 1 + e;
    if (u == 1) return e;
    double c = (u - 1) - e;
    return Math.log(u) - c / u;
  }

  /** The sigmoid on {@link Math#exp}, as the kernels had it before the fixed-operation exp. */
  static double sigmoidMath(double z) {
    double e = Math.exp(-Math.abs(z));
    return (z >= 0 ? 1.0 : e) / (1 + e);
  }
}
