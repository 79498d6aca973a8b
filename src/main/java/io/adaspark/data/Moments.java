package io.adaspark.data;

import java.io.Serializable;

/**
 * Per-feature mean and standard deviation for standardization, with exactly the arithmetic of
 * MLlib's summarizer ({@code org.apache.spark.ml.stat.SummarizerBuffer} with metrics mean, std
 * and count, rows of weight 1 — what {@code LogisticRegression} standardizes with), so that
 * adaspark and MLlib standardize the same rows to the same bits. {@code MomentsTest} checks
 * every value bit for bit against {@code SummarizerBuffer}, including merges.
 *
 * <p>Per feature j, over the rows' non-zero values v in row order (zeros, and −0.0, are
 * skipped, as MLlib's {@code nonZeroIterator} skips them), Welford's update with weight 1:
 *
 * <pre>
 *   diff = v - mean_j;   mean_j = mean_j + 1·diff / (w_j + 1);   m2n_j += 1·(v - mean_j)·diff;   w_j += 1
 * </pre>
 *
 * and per row {@code W += 1, W2 += 1·1, count += 1}. Merging (Chan et al.) and the results
 * ({@code mean_j·(w_j/W)}, the unbiased variance with the zeros' contribution, its square
 * root) are MLlib's formulas, term for term.
 *
 * <p>Why not MLlib's class itself: its per-row entry point takes a Scala iterator of boxed
 * (index, value) tuples and a closure per value; over the loader's statistics pass that was
 * most of the pass's time (JFR, benchmark row 7). This is the same arithmetic in a plain loop.
 */
final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double W = 1.0; // every row's weight

  private int n;
  private double[] mean;
  private double[] m2n;
  private double[] weightSum;
  private long count;
  private double totalWeightSum;
  private double weightSquareSum;

  /** Number of rows added. */
  long count() {
    return count;
  }

  private void start(int size) {
    if (n == 0) {
      if (size <= 0) throw new IllegalArgumentException("rows must have at least one feature, got " + size);
      n = size;
      mean = new double[n];
      m2n = new double[n];
      weightSum = new double[n];
    } else if (size != n) {
      throw new IllegalArgumentException("row has " + size + " features, earlier rows " + n);
    }
  }

  private void update(int j, double v) {
    double prev = mean[j];
    double diff = v - prev;
    mean[j] = prev + W * diff / (weightSum[j] + W);
    m2n[j] += W * (v - mean[j]) * diff;
    weightSum[j] += W;
  }

  private void endRow() {
    totalWeightSum += W;
    weightSquareSum += W * W;
    count++;
  }

  /** A dense row: {@code x[from .. from+size)} is feature 0..size-1. */
  void addDense(double[] x, int from, int size) {
    start(size);
    for (int j = 0; j < size; j++) {
      double v = x[from + j];
      if (v != 0.0) update(j, v);
    }
    endRow();
  }

  /** A sparse row: values {@code vals[from .. to)} at increasing feature indices {@code idx[...]}. */
  void addSparse(double[] vals, int[] idx, int from, int to, int size) {
    start(size);
    for (int k = from; k < to; k++) {
      double v = vals[k];
      if (v != 0.0) update(idx[k], v);
    }
    endRow();
  }

  /** Merges {@code o} into this (MLlib's merge); returns this. */
  Moments merge(Moments o) {
    if (totalWeightSum != 0.0 && o.totalWeightSum != 0.0) {
      if (n != o.n) throw new IllegalArgumentException("merging moments of " + o.n + " features into " + n);
      count += o.count;
      totalWeightSum += o.totalWeightSum;
      weightSquareSum += o.weightSquareSum;
      for (int i = 0; i < n; i++) {
        double thisWeightSum = weightSum[i];
        double otherWeightSum = o.weightSum[i];
        double total = thisWeightSum + otherWeightSum;
        if (total != 0.0) {
          double deltaMean = o.mean[i] - mean[i];
          mean[i] += deltaMean * otherWeightSum / total;
          m2n[i] += o.m2n[i] + deltaMean * deltaMean * thisWeightSum * otherWeightSum / total;
        }
        weightSum[i] = total;
      }
    } else if (totalWeightSum == 0.0 && o.totalWeightSum != 0.0) {
      n = o.n;
      mean = o.mean.clone();
      m2n = o.m2n.clone();
      weightSum = o.weightSum.clone();
      count = o.count;
      totalWeightSum = o.totalWeightSum;
      weightSquareSum = o.weightSquareSum;
    }
    return this;
  }

  /** Mean of each feature (zeros included). */
  double[] mean() {
    requireRows();
    double[] m = new double[n];
    for (int i = 0; i < n; i++) m[i] = mean[i] * (weightSum[i] / totalWeightSum);
    return m;
  }

  /** Unbiased sample standard deviation of each feature (zeros included; 0 for one row). */
  double[] std() {
    requireRows();
    double[] v = new double[n];
    double denominator = totalWeightSum - (weightSquareSum / totalWeightSum);
    if (denominator > 0.0) {
      for (int i = 0; i < n; i++) {
        v[i] = Math.max((m2n[i] + mean[i] * mean[i] * weightSum[i] * (totalWeightSum - weightSum[i]) / totalWeightSum)
            / denominator, 0.0);
      }
    }
    for (int i = 0; i < n; i++) v[i] = Math.sqrt(v[i]);
    return v;
  }

  private void requireRows() {
    if (totalWeightSum <= 0) throw new IllegalStateException("no rows were added");
  }
}
