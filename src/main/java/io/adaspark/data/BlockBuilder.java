package io.adaspark.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import scala.Tuple2;

/**
 * Turns the sorted rows of one partition into one {@link DenseBlock}: contiguous row-major
 * features and labels, standardized on the way in. Runs once per partition when the blocks are
 * (re)computed; every later step reads the cached block.
 */
final class BlockBuilder implements FlatMapFunction<Iterator<Tuple2<Long, LabeledRow>>, DataBlock> {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final boolean plusMinusOne;
  private final double[] mean;
  private final double[] factor;

  /**
   * @param mean subtracted from each feature, or null
   * @param factor multiplies each (centred) feature, or null (MLlib StandardScaler's 1/std,
   *     0 where std is 0)
   */
  BlockBuilder(int d, boolean plusMinusOne, double[] mean, double[] factor) {
    this.d = d;
    this.plusMinusOne = plusMinusOne;
    this.mean = mean;
    this.factor = factor;
  }

  @Override
  public Iterator<DataBlock> call(Iterator<Tuple2<Long, LabeledRow>> rows) {
    double[] x = new double[Math.max(16, d * 64)];
    double[] y = new double[64];
    int n = 0;
    while (rows.hasNext()) {
      LabeledRow r = rows.next()._2;
      if ((long) (n + 1) * d > Integer.MAX_VALUE - 16) {
        throw new DataException("a partition holds more than " + n + " rows of " + d
            + " features (over 2^31 values): raise training.partitions");
      }
      if ((n + 1) * d > x.length) x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max((long) (n + 1) * d, 2L * x.length)));
      if (n == y.length) y = Arrays.copyOf(y, 2 * y.length);
      Vector v = r.features();
      int off = n * d;
      if (v instanceof SparseVector sv) {
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) x[off + idx[k]] = val[k];
      } else {
        System.arraycopy(((DenseVector) v).values(), 0, x, off, d);
      }
      if (mean != null || factor != null) {
        for (int j = 0; j < d; j++) {
          double val = x[off + j];
          if (mean != null) val -= mean[j];
          if (factor != null) val *= factor[j];
          x[off + j] = val;
        }
      }
      y[n] = plusMinusOne ? (r.label() < 0 ? 0.0 : 1.0) : r.label();
      n++;
    }
    DataBlock block = new DenseBlock(n, d, Arrays.copyOf(x, n * d), Arrays.copyOf(y, n));
    return List.of(block).iterator();
  }
}
