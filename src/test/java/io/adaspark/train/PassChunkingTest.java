package io.adaspark.train;

import static io.adaspark.train.FixedTreeTest.bits;
import static io.adaspark.train.FixedTreeTest.densified;
import static io.adaspark.train.FixedTreeTest.denseLeaf;
import static io.adaspark.train.FixedTreeTest.thetas;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.data.SyntheticSpec;
import io.adaspark.model.Activation;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Mlp;
import io.adaspark.model.Model;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory-bounded passes and scratch, same bits: a full evaluation may carry a cohort's runs in
 * chunks ({@link PassMemory}) and a sparse leaf may run the kernel over the runs in chunks
 * ({@link GradientLeaf#scratchRuns}) only because a run's bits do not depend on the runs it is
 * fused with. Checked here bit for bit: the evaluation of K runs fused equals each run's alone
 * and every chunking of them, and a chunked sparse leaf equals the old dense leaf (fresh zeros
 * plus the kernel, per run). The memory figures are worked by hand from the formulas.
 */
class PassChunkingTest {
  static PreparedData sparse; // synthetic logistic, d = 3000, 30 non-zeros a row, 25 % test rows, 7 partitions, CSR
  static PreparedData dense;  // breast cancer, 20 % test rows, 6 partitions, dense blocks
  static JavaSparkContext jsc;

  @BeforeAll
  static void load() {
    var spark = TestSpark.session();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sparse = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 2000L, 3000, null, 0.01, null, 5L, 0.25, 1L,
        false, "sparse"), 7);
    dense = DatasetLoader.load(spark, DataSpec.of("libsvm", TestSpark.data("breast_cancer.libsvm").toString(),
        30, 0.2, 0L, true), 6);
  }

  @AfterAll
  static void drop() {
    sparse.unpersist();
    dense.unpersist();
  }

  static void assertSameResult(CohortObjective.Result expected, int from, CohortObjective.Result actual, int at,
                               String what) {
    assertEquals(expected.count(), actual.count(), what);
    assertEquals(Double.doubleToRawLongBits(expected.losses()[from]), Double.doubleToRawLongBits(actual.losses()[at]),
        what + ": loss");
    if (expected.grads() != null) {
      assertArrayEquals(bits(expected.grads()[from]), bits(actual.grads()[at]), what + ": gradient");
    }
    if (expected.accuracy() != null) {
      assertEquals(Double.doubleToRawLongBits(expected.accuracy()[from]),
          Double.doubleToRawLongBits(actual.accuracy()[at]), what + ": accuracy");
    }
  }

  static void assertSameRun(CohortObjective.Evaluation expected, int from, CohortObjective.Evaluation actual, int at,
                            String what) {
    assertSameResult(expected.train(), from, actual.train(), at, what + " train");
    assertSameResult(expected.test(), from, actual.test(), at, what + " test");
    assertEquals(expected.validation() == null, actual.validation() == null, what);
    assertEquals(expected.auc() == null, actual.auc() == null, what + ": auc reported");
    if (expected.auc() != null) {
      assertEquals(Double.doubleToRawLongBits(expected.auc()[from]), Double.doubleToRawLongBits(actual.auc()[at]),
          what + ": auc");
    }
  }

  @Test
  void theEvaluationOfFusedRunsIsEachRunsAloneAndAnyChunkingOfThem() {
    Model logreg = new BinaryLogisticRegression(3000, 0.001);
    Model mlp = Mlp.of(new int[] {30, 6, 2}, new Activation[] {Activation.TANH}, 0.01);
    for (Object[] c : new Object[][] {{sparse, logreg, 2}, {sparse, logreg, 16}, {dense, mlp, 2}, {dense, mlp, 16}}) {
      PreparedData data = (PreparedData) c[0];
      Model model = (Model) c[1];
      int fanIn = (Integer) c[2];
      double[][] th = thetas(model, 5, 23);
      String what = model.getClass().getSimpleName() + " F = " + fanIn;
      CohortObjective.Evaluation fused = new CohortObjective(jsc, data, model, fanIn).passRuns(5).evaluate(th, true);
      assertNotNull(fused.test());
      assertNotNull(fused.auc(), "binary models report test AUC");
      for (int j = 0; j < th.length; j++) {
        CohortObjective.Evaluation alone = new CohortObjective(jsc, data, model, fanIn)
            .evaluate(new double[][] {th[j]}, true);
        assertSameRun(alone, 0, fused, j, what + ", run " + j + " alone vs fused with 4 others");
      }
      for (int chunk : new int[] {1, 2, 3}) {
        CohortObjective.Evaluation chunked = new CohortObjective(jsc, data, model, fanIn).passRuns(chunk)
            .evaluate(th, true);
        for (int j = 0; j < th.length; j++) {
          assertSameRun(fused, j, chunked, j, what + ", run " + j + " in passes of " + chunk);
        }
      }
    }
  }

  @Test
  void bitIdenticalRunsAreEvaluatedOnceAndEachGetsItsOwnRunsResult() {
    Model mlp = Mlp.of(new int[] {30, 6, 2}, new Activation[] {Activation.TANH}, 0.01);
    double[][] two = thetas(mlp, 2, 29);
    double[] negZero = two[0].clone();
    negZero[0] = negZero[0] == 0 ? -0.0 : -negZero[0];
    // a b a a b, then a with one coordinate's sign flipped: three distinct vectors
    double[][] th = {two[0], two[1], two[0].clone(), two[0], two[1].clone(), negZero};
    assertArrayEquals(new int[] {0, 1, 0, 0, 1, 5}, CohortObjective.firstEqual(th));
    double[] zero = new double[4], minusZero = {0, -0.0, 0, 0};
    double[] nan = {Double.NaN, 1, 2, 3}, otherNan = {Double.longBitsToDouble(0x7ff8000000000001L), 1, 2, 3};
    assertArrayEquals(new int[] {0, 1, 0, 3, 4, 3}, CohortObjective.firstEqual(
        new double[][] {zero, minusZero, zero.clone(), nan, otherNan, nan.clone()}), "raw bits: -0.0 and NaN payloads differ");
    CohortObjective.Evaluation all = new CohortObjective(jsc, dense, mlp, 2).evaluate(th, true);
    int[] from = {0, 1, 0, 0, 1};
    for (int j = 0; j < th.length; j++) {
      double[] v = th[j];
      CohortObjective.Evaluation alone = new CohortObjective(jsc, dense, mlp, 2).evaluate(new double[][] {v}, true);
      assertSameRun(alone, 0, all, j, "run " + j + " alone vs among copies");
    }
    for (int j = 0; j < from.length; j++) {
      if (from[j] != j) {
        assertTrue(all.train().grads()[j] != all.train().grads()[from[j]], "run " + j + " has its own gradient array");
      }
    }
  }

  @Test
  void aSparseLeafChunkedOverItsRunsIsTheDenseLeafAndItsScratchHoldsOnlyTheChunk() {
    Model model = new BinaryLogisticRegression(3000, 0.0);
    double[][] th = thetas(model, 7, 5);
    BatchSampler sampler = new BatchSampler(3, sparse.partitionRows(), 256);
    List<DataBlock> blocks = sparse.train().collect();
    long saved = GradientLeaf.scratchBytes;
    try {
      // n = 3001 parameters: 24,008 bytes a run; caps of 1, 3 and 7 (all) runs
      for (int runs : new int[] {1, 3, 7}) {
        GradientLeaf.scratchBytes = 8L * 3001 * runs + 100;
        assertEquals(runs, GradientLeaf.scratchRuns(7, 3001));
        for (int p = 0; p < blocks.size(); p++) {
          int[] rows = sampler.rows(p, 2);
          Partial ref = denseLeaf(model, th, blocks.get(p), rows, p);
          Partial leaf = GradientLeaf.compute(model, th, blocks.get(p), rows, rows.length, p);
          assertTrue(leaf.sparse(), "a mini-batch leaf on CSR rows is sparse");
          assertEquals(runs, GradientLeaf.scratchVectors(), "the thread's scratch holds the chunk only");
          double[][] d = densified(leaf, model.numParams());
          for (int j = 0; j < th.length; j++) {
            assertArrayEquals(bits(ref.grads()[j]), bits(d[j]), "chunks of " + runs + ", partition " + p + " run " + j);
          }
          assertArrayEquals(bits(ref.losses()), bits(leaf.losses()), "chunks of " + runs + ", losses");
        }
      }
    } finally {
      GradientLeaf.scratchBytes = saved;
    }
  }

  @Test
  void aFullPassOverCsrRowsStopsListingFeaturesOnceItsLeafMustBeDense() {
    Model model = new BinaryLogisticRegression(3000, 0.0);
    double[][] th = thetas(model, 3, 11);
    List<DataBlock> blocks = sparse.train().collect();
    for (int p = 0; p < blocks.size(); p++) {
      CsrBlock csr = (CsrBlock) blocks.get(p);
      int n = csr.numRows();
      java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
      for (int q = csr.indptr()[0]; q < csr.indptr()[n]; q++) seen.add(csr.indices()[q]);
      int[] expected = seen.stream().mapToInt(Integer::intValue).toArray();
      long[] marks = new long[(csr.numFeatures() + 63) >>> 6];
      assertArrayEquals(expected, GradientLeaf.features(csr, null, n, marks), "partition " + p);
      assertArrayEquals(expected, GradientLeaf.features(csr, null, n, marks, expected.length), "at the limit");
      assertEquals(null, GradientLeaf.features(csr, null, n, marks, expected.length - 1), "one over the limit");
      assertArrayEquals(new long[marks.length], marks, "marks left zero after stopping");
      // the block's rows touch more than two thirds of the 3001 parameters: the full pass's
      // leaf is dense, the kernel's fresh-zero leaf bit for bit
      assertTrue(3L * (expected.length + 1) > 2L * 3001, expected.length + " features");
      Partial leaf = GradientLeaf.compute(model, th, csr, null, n, p);
      Partial ref = denseLeaf(model, th, csr, null, p);
      assertTrue(!leaf.sparse(), "a full pass's leaf is dense");
      for (int j = 0; j < th.length; j++) assertArrayEquals(bits(ref.grads()[j]), bits(leaf.grads()[j]), "run " + j);
      assertArrayEquals(bits(ref.losses()), bits(leaf.losses()));
    }
  }

  @Test
  void passMemoryFiguresWorkedByHand() {
    // P = 4, F = 16: one level, 4 tasks; P = 64: 4 tasks of 16 blocks; P = 256: 16 tasks of 16 blocks
    assertEquals(4, PassMemory.tasks(4, 16));
    assertEquals(4, PassMemory.tasks(64, 16));
    assertEquals(16, PassMemory.tasks(256, 16));
    assertEquals(2, PassMemory.tasks(13, 3)); // 13 partitions, F = 3: depth 3, children of the root cover 9 each
    // n = 1,000,001, local[2], P = 4: 8·n·(4 + 1 + 5·2) = 15 × 8,000,008 = 120,000,120 bytes
    assertEquals(120_000_120.0, PassMemory.bytesPerRun(1_000_001, 4, 2, true));
    // on a cluster of 2 slots: 8·n·(4 + 1 + 2) = 56,000,056
    assertEquals(56_000_056.0, PassMemory.bytesPerRun(1_000_001, 4, 2, false));
    // a 1 GiB heap gives passes 0.3 × 1,073,741,824 = 322,122,547.2 bytes: 2 runs a pass (of 8), 1 with parallelism 2
    assertEquals(322_122_547.2, PassMemory.budget(1L << 30, 1), 1e-6);
    assertEquals(2, PassMemory.runsPerPass(8, 120_000_120.0, PassMemory.budget(1L << 30, 1)));
    assertEquals(1, PassMemory.runsPerPass(8, 120_000_120.0, PassMemory.budget(1L << 30, 2)));
    assertEquals(1, PassMemory.runsPerPass(8, 1e12, 1.0), "at least one run");
    assertEquals(3, PassMemory.runsPerPass(3, 1.0, 1e12), "at most the cohort");
  }
}
