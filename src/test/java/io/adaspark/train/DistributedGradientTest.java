package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.adaspark.TestSpark;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.data.RowPartitioner;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distributed objective over many partitions against a plain loop over the rows of the
 * LIBSVM file, written independently here.
 */
class DistributedGradientTest {
  static final int D = 30;
  static final double L2 = 0.01;
  static final int PARTITIONS = 7;
  static PreparedData data;
  static List<double[]> rows; // each: features[0..D), label at [D]

  @BeforeAll
  static void load() throws IOException {
    SparkSession spark = TestSpark.session();
    data = DatasetLoader.load(spark, DataSpec.of("libsvm", TestSpark.data("breast_cancer.libsvm").toString(),
        D, 0.0, 0L, false), PARTITIONS);
    rows = new ArrayList<>();
    for (String line : Files.readAllLines(TestSpark.data("breast_cancer.libsvm"))) {
      String[] parts = line.trim().split(" ");
      double[] r = new double[D + 1];
      r[D] = Double.parseDouble(parts[0]);
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split(":");
        r[Integer.parseInt(kv[0]) - 1] = Double.parseDouble(kv[1]);
      }
      rows.add(r);
    }
  }

  @AfterAll
  static void drop() {
    data.unpersist();
  }

  /** Plain per-row logistic objective with L2 on w; gradient into grad. */
  static double naive(double[] theta, List<double[]> selected, double[] grad) {
    java.util.Arrays.fill(grad, 0);
    double loss = 0;
    for (double[] r : selected) {
      double z = theta[D];
      for (int j = 0; j < D; j++) z += theta[j] * r[j];
      double y = r[D];
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y * z;
      double p = 1 / (1 + Math.exp(-z));
      for (int j = 0; j < D; j++) grad[j] += (p - y) * r[j];
      grad[D] += p - y;
    }
    int n = selected.size();
    double pen = 0;
    for (int j = 0; j <= D; j++) grad[j] /= n;
    for (int j = 0; j < D; j++) {
      grad[j] += L2 * theta[j];
      pen += 0.5 * L2 * theta[j] * theta[j];
    }
    return loss / n + pen;
  }

  static double[] randomTheta(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] t = new double[D + 1];
    for (int i = 0; i <= D; i++) t[i] = r.nextGaussian() * 1e-3; // raw features reach 4254
    return t;
  }

  static void assertClose(double[] expected, double[] actual) {
    double scale = 0;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12 * scale, "component " + i);
    }
  }

  @Test
  void shapeOfTheLoadedData() {
    assertEquals(569, data.trainRows());
    assertEquals(0, data.testRows());
    assertEquals(D, data.numFeatures());
    assertEquals(2, data.numClasses());
    assertEquals(PARTITIONS, data.train().getNumPartitions());
    assertEquals(569L * (D + 1) * 8, data.cachedBytes());
  }

  @Test
  void fullGradientEqualsAPlainLoop() {
    Model model = new LogRegConfig(L2, false).build(D, 2);
    Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()), data,
        model, TrainingSpec.of(32, 1L, 1L, 0L, PARTITIONS), null);
    for (long seed = 1; seed <= 3; seed++) {
      double[] theta = randomTheta(seed);
      double[] g = new double[D + 1];
      double[] ref = new double[D + 1];
      double loss = trainer.fullObjective(theta, g);
      double refLoss = naive(theta, rows, ref);
      assertEquals(refLoss, loss, 1e-12 * Math.abs(refLoss));
      assertClose(ref, g);
    }
  }

  @Test
  void miniBatchGradientEqualsAPlainLoopOverTheSameRows() {
    Model model = new LogRegConfig(L2, false).build(D, 2);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    // Rows of partition p, as documented: input rows whose identity hashes to p, in input order.
    RowPartitioner partitioner = new RowPartitioner(PARTITIONS);
    List<List<double[]>> byPartition = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) byPartition.add(new ArrayList<>());
    for (int i = 0; i < rows.size(); i++) byPartition.get(partitioner.getPartition((long) i)).add(rows.get(i));
    long[] sizes = byPartition.stream().mapToLong(List::size).toArray();
    BatchSampler sampler = new BatchSampler(5, sizes, 64);
    double[] theta = randomTheta(9);
    for (long k : new long[] {0, 3, 8, 9, 12}) {
      List<double[]> selected = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        for (int r : sampler.rows(p, k)) selected.add(byPartition.get(p).get(r));
      }
      Broadcast<double[][]> bc = jsc.broadcast(new double[][] {theta});
      Partial sum = Partial.sumInOrder(BlockTask.run(jsc, data.train(), new StepTask(model, bc, sampler, k),
          Partial.class));
      bc.destroy();
      assertEquals(selected.size(), sum.count());
      assertEquals(k == 8 ? 569 - 8 * 64 : 64, sum.count());
      double[] g = sum.grads()[0].clone();
      for (int i = 0; i < g.length; i++) g[i] /= sum.count();
      double loss = sum.losses()[0] / sum.count() + model.penalty(theta, g);
      double[] ref = new double[D + 1];
      double refLoss = naive(theta, selected, ref);
      assertEquals(refLoss, loss, 1e-12 * Math.abs(refLoss));
      assertClose(ref, g);
    }
  }
}
