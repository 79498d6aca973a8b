package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link Moments} against MLlib's SummarizerBuffer, bit for bit, partitions merged in order. */
class MomentsTest {

  /** Rows with zeros, −0.0, a constant feature, huge and tiny values; some sparse. */
  private static List<double[]> rows(long seed, int count, int d) {
    SplittableRandom r = new SplittableRandom(seed);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        int kind = r.nextInt(10);
        x[j] = switch (kind) {
          case 0, 1 -> 0.0;
          case 2 -> -0.0;
          case 3 -> r.nextDouble() * 1e12;
          case 4 -> r.nextDouble() * 1e-9;
          default -> r.nextGaussian() * 3 + 1;
        };
      }
      x[0] = 7.25; // constant: std 0
      rows.add(x);
    }
    return rows;
  }

  private static Vector vector(double[] x, boolean sparse) {
    return sparse ? Vectors.dense(x).toSparse() : Vectors.dense(x);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 17, 1000})
  void sameBitsAsMllibAcrossPartitions(int count) {
    int d = 9;
    List<double[]> rows = rows(count * 31L + 5, count, d);
    // partitions: uneven, one empty, in order
    int[] cuts = {0, count / 3, count / 3, (2 * count) / 3, count};
    SummarizerBuffer mllib = DatasetLoader.newBuffer();
    Moments ours = new Moments();
    for (int p = 0; p + 1 < cuts.length; p++) {
      SummarizerBuffer b = DatasetLoader.newBuffer();
      Moments m = new Moments();
      for (int i = cuts[p]; i < cuts[p + 1]; i++) {
        double[] x = rows.get(i);
        boolean sparse = (i % 3) == 1;
        b.add(vector(x, sparse));
        if (sparse) {
          var sv = (org.apache.spark.ml.linalg.SparseVector) vector(x, true);
          m.addSparse(sv.values(), sv.indices(), 0, sv.values().length, d);
        } else {
          double[] padded = new double[d + 3]; // an offset into a larger array, as in a chunk
          System.arraycopy(x, 0, padded, 3, d);
          m.addDense(padded, 3, d);
        }
      }
      mllib = mllib.merge(b);
      ours = ours.merge(m);
    }
    assertEquals(mllib.count(), ours.count());
    if (count == 0) {
      assertThrows(IllegalStateException.class, ours::std);
      return;
    }
    assertBits(mllib.mean().toArray(), ours.mean());
    assertBits(mllib.std().toArray(), ours.std());
  }

  @Test
  void sparseRowsWithStoredZerosSkipThem() {
    Moments m = new Moments();
    m.addSparse(new double[] {0.0, 2.0, -0.0, 4.0}, new int[] {0, 1, 2, 3}, 0, 4, 4);
    m.addSparse(new double[] {1.0}, new int[] {2}, 0, 1, 4);
    SummarizerBuffer b = DatasetLoader.newBuffer();
    b.add(Vectors.dense(0.0, 2.0, -0.0, 4.0));
    b.add(Vectors.sparse(4, new int[] {2}, new double[] {1.0}));
    assertBits(b.mean().toArray(), m.mean());
    assertBits(b.std().toArray(), m.std());
  }

  @Test
  void sizeMismatchIsAnError() {
    Moments m = new Moments();
    m.addDense(new double[] {1, 2}, 0, 2);
    assertThrows(IllegalArgumentException.class, () -> m.addDense(new double[] {1, 2, 3}, 0, 3));
  }

  private static void assertBits(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    long[] e = new long[expected.length];
    long[] a = new long[actual.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Double.doubleToRawLongBits(expected[i]);
      a[i] = Double.doubleToRawLongBits(actual[i]);
    }
    assertArrayEquals(e, a, () -> java.util.Arrays.toString(expected) + " vs " + java.util.Arrays.toString(actual));
  }
}
