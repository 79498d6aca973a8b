package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Synthetic generators: deterministic, independent of the partition count, true to their model. */
class SyntheticDataTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static SyntheticSpec spec(String gen, long n, int d, Double density, boolean standardize) {
    return SyntheticSpec.of(gen, n, d, null, density, null, 11L, 0.25, 2L, standardize, null);
  }

  /** All rows of the blocks in partition order: features then label per row (dense view). */
  static double[][] concat(List<DataBlock> blocks) {
    int n = blocks.stream().mapToInt(DataBlock::numRows).sum();
    int d = blocks.get(0).numFeatures();
    double[][] rows = new double[n][];
    int i = 0;
    for (DataBlock b : blocks) {
      for (int r = 0; r < b.numRows(); r++) {
        double[] row = new double[d + 1];
        if (b instanceof DenseBlock db) {
          System.arraycopy(db.x(), r * d, row, 0, d);
        } else {
          CsrBlock c = (CsrBlock) b;
          for (int p = c.indptr()[r]; p < c.indptr()[r + 1]; p++) row[c.indices()[p]] = c.values()[p];
        }
        row[d] = b.label(r);
        rows[i++] = row;
      }
    }
    return rows;
  }

  @Test
  void rowsDoNotDependOnThePartitionCount() {
    for (String gen : SyntheticSpec.GENERATORS) {
      SyntheticSpec s = spec(gen, 2001, 7, null, false);
      PreparedData one = DatasetLoader.load(spark, s, 1);
      PreparedData five = DatasetLoader.load(spark, s, 5);
      try {
        assertEquals(five.partitions(), five.train().getNumPartitions());
        double[][] a = concat(one.train().collect());
        double[][] b = concat(five.train().collect());
        assertEquals(a.length, b.length, gen);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], gen + " row " + i);
        assertArrayEquals(concat(one.test().collect())[0], concat(five.test().collect())[0], gen);
        assertEquals(2001, one.trainRows() + one.testRows());
        assertTrue(Math.abs(one.testRows() - 500) < 80, gen + " test rows " + one.testRows());
      } finally {
        one.unpersist();
        five.unpersist();
      }
    }
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() {
    PreparedData a = DatasetLoader.load(spark, spec("gaussian_mixture", 500, 4, null, true), 2);
    PreparedData b = DatasetLoader.load(spark, spec("gaussian_mixture", 500, 4, null, true), 2);
    PreparedData c = DatasetLoader.load(spark, SyntheticSpec.of("gaussian_mixture", 500L, 4, null, null, null, 12L,
        0.25, 2L, true, null), 2);
    try {
      assertArrayEquals(((DenseBlock) a.train().first()).x(), ((DenseBlock) b.train().first()).x());
      assertTrue(!Arrays.equals(((DenseBlock) a.train().first()).x(), ((DenseBlock) c.train().first()).x()));
      assertEquals(3, a.numClasses());
      // Standardized: training features have mean 0 and (sample) std 1.
      double[][] rows = concat(a.train().collect());
      for (int j = 0; j < 4; j++) {
        double s = 0, q = 0;
        for (double[] r : rows) {
          s += r[j];
          q += r[j] * r[j];
        }
        assertEquals(0, s / rows.length, 1e-12);
        assertEquals(1, (q - s * s / rows.length) / (rows.length - 1), 1e-9);
      }
    } finally {
      a.unpersist();
      b.unpersist();
      c.unpersist();
    }
  }

  /** The recorded ground truth explains the labels: sign(w.x) agrees with y as the model says. */
  @Test
  void logisticLabelsFollowTheTrueWeights() {
    int d = 20;
    PreparedData data = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 4000L, d, null, null, 0.0, 5L, 0.0,
        null, false, null), 3);
    try {
      double[] w = Generators.trueWeights(5L, d);
      assertArrayEquals(w, (double[]) ((java.util.Map<?, ?>) data.details().get("ground_truth")).get("weights"));
      int agree = 0;
      double[][] rows = concat(data.train().collect());
      for (double[] r : rows) {
        double z = 0;
        for (int j = 0; j < d; j++) z += w[j] * r[j];
        if ((z > 0) == (r[d] == 1.0)) agree++;
      }
      // P(agree) = E[sigmoid(|z|)] with z ~ N(0, 3^2): about 0.81.
      double frac = (double) agree / rows.length;
      assertTrue(frac > 0.77 && frac < 0.86, "agreement " + frac);
    } finally {
      data.unpersist();
    }
  }

  @Test
  void sparseLogisticIsCsrWithExactlyKIncreasingIndices() {
    int d = 100_000;
    PreparedData data = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 3000L, d, null, 0.0005, null, 1L, 0.2,
        null, true, null), 3);
    try {
      assertEquals("sparse", data.layout());
      assertEquals(50.0 / d, data.density(), 1e-15);
      for (DataBlock b : data.train().collect()) {
        CsrBlock c = assertInstanceOf(CsrBlock.class, b);
        for (int r = 0; r < c.numRows(); r++) {
          assertEquals(50, c.indptr()[r + 1] - c.indptr()[r]);
          for (int p = c.indptr()[r] + 1; p < c.indptr()[r + 1]; p++) assertTrue(c.indices()[p] > c.indices()[p - 1]);
        }
      }
      assertEquals(4L * (3000 + 6) + 12L * 3000 * 50 + 8L * 3000, data.cachedBytes());
    } finally {
      data.unpersist();
    }
  }
}
