package io.adaspark.train;

import static io.adaspark.train.FixedTreeTest.bits;
import static io.adaspark.train.FixedTreeTest.thetas;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step that ships only the parameters its rows read ({@link CohortObjective#step}) against the
 * same steps shipping the full vectors: bit-identical losses and gradients for every run, over
 * consecutive steps whose parameters move, for fan-ins below the partition count (tree tasks
 * at levels 0, 1 and the default) and at or above it, with the parameters inside the tasks and
 * in a broadcast, when runs leave the cohort; and the restricted path is really taken: exactly
 * K·|U| doubles are shipped, U written out here as the touched parameters of the union of the
 * step's rows' features over all partitions.
 */
class RestrictedStepTest {
  static PreparedData sparse;  // synthetic logistic, d = 3000, 30 non-zeros a row, 13 partitions, CSR (as FixedTreeTest)
  static List<DataBlock> blocks;
  static JavaSparkContext jsc;

  /** Rows a step: 32 rows touch at most 960 of the 3,000 features, well under two thirds. */
  static final int B = 32;

  @BeforeAll
  static void load() {
    var spark = TestSpark.session();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sparse = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 4000L, 3000, null, 0.01, null, 5L, 0.0, 1L,
        false, "sparse"), 13);
    blocks = sparse.train().collect();
  }

  @AfterAll
  static void drop() {
    sparse.unpersist();
  }

  /** U of step k written out: the touched parameters of the union of every partition's rows' features. */
  static int[] reference(Model model, BatchSampler sampler, long k) {
    TreeSet<Integer> features = new TreeSet<>();
    for (int p = 0; p < blocks.size(); p++) {
      CsrBlock csr = (CsrBlock) blocks.get(p);
      for (int r : sampler.rows(p, k)) {
        for (int q = csr.indptr()[r]; q < csr.indptr()[r + 1]; q++) features.add(csr.indices()[q]);
      }
    }
    return model.touchedParameters(features.stream().mapToInt(Integer::intValue).toArray());
  }

  static void assertSameResult(CohortObjective.Result expected, CohortObjective.Result actual, String what) {
    assertEquals(expected.count(), actual.count(), what + ": count");
    assertArrayEquals(bits(expected.losses()), bits(actual.losses()), what + ": losses");
    assertEquals(expected.grads().length, actual.grads().length, what + ": runs");
    for (int j = 0; j < expected.grads().length; j++) {
      assertArrayEquals(bits(expected.grads()[j]), bits(actual.grads()[j]), what + ": gradient of run " + j);
    }
  }

  /** θ_j ← θ_j − 0.5·g_j: the parameters move between steps, as in training. */
  static void move(double[][] th, CohortObjective.Result r) {
    for (int j = 0; j < th.length; j++) {
      for (int i = 0; i < th[j].length; i++) th[j][i] -= 0.5 * r.grads()[j][i];
    }
  }

  static List<Model> models() {
    return List.of(new BinaryLogisticRegression(3000, 0.001),
        new Mlp(new int[] {3000, 5, 2}, new Activation[] {Activation.TANH}, 0.001),
        new Mlp(new int[] {3000, 9, 3}, new Activation[] {Activation.RELU}, 0.0),  // first layer ≥ Inputs.WIDE
        Mlp.softmaxRegression(3000, 2, 0.01));
  }

  @Test
  void restrictedStepsAreTheFullStepsBitForBit() {
    // {fan-in, task level (-1: default)}: P = 13, so F = 2 has depth 4, F = 3 depth 3, F = 16 depth 1
    int[][] trees = {{2, 0}, {2, 1}, {2, -1}, {3, 1}, {16, -1}};
    long saved = CohortObjective.inlineStepDoubles;
    try {
      for (Model model : models()) {
        int n = model.numParams();
        for (int[] tree : trees) {
          for (long inline : new long[] {0, Long.MAX_VALUE}) {
            CohortObjective.inlineStepDoubles = inline;
            BatchSampler sampler = new BatchSampler(5, sparse.partitionRows(), B);
            CohortObjective full = new CohortObjective(jsc, sparse, model, tree[0]).taskLevel(tree[1])
                .restrictingSteps(false);
            CohortObjective restricted = new CohortObjective(jsc, sparse, model, tree[0]).taskLevel(tree[1]);
            double[][] th = thetas(model, 3, 17);
            for (long k = 0; k < 4; k++) {
              String what = model.getClass().getSimpleName() + " n = " + n + ", F = " + tree[0] + ", level "
                  + tree[1] + ", inline " + (inline > 0) + ", step " + k;
              CohortObjective.Result a = full.step(th, sampler, k);
              assertEquals((long) th.length * n, full.shippedDoubles(), what);
              CohortObjective.Result b = restricted.step(th, sampler, k);
              assertSameResult(a, b, what);
              if (k == 0) {
                assertEquals((long) th.length * n, restricted.shippedDoubles(), what + ": the first step ships all");
              } else {
                int[] u = reference(model, sampler, k);
                assertEquals((long) th.length * u.length, restricted.shippedDoubles(), what + ": K·|U| shipped");
                assertTrue(3L * u.length < n, what + ": |U| = " + u.length + " of " + n);
              }
              assertTrue(a.losses()[0] != a.losses()[1], what + ": the runs differ");
              move(th, a);
            }
            assertEquals(3, restricted.restrictedSteps(), "steps 1..3 restricted");
            assertEquals(0, full.restrictedSteps());
          }
        }
      }
    } finally {
      CohortObjective.inlineStepDoubles = saved;
    }
  }

  @Test
  void aTrainedCohortFollowsTheSameTrajectory() {
    Model model = new BinaryLogisticRegression(3000, 0.001);
    TrainingSpec spec = TrainingSpec.of(B, 12L, 5L, 5L, 13);  // evaluations after steps 5, 10 and 12
    List<PlannedRun> runs = new java.util.ArrayList<>();
    for (int j = 0; j < 3; j++) {
      io.adaspark.optim.Adam.Config c = io.adaspark.optim.Adam.Config.fromJson(0.05 * (1 + j), null, null, null,
          null, null, null, null);
      runs.add(new PlannedRun("r" + j, new RunSpec(c, null, null), 7L));
    }
    java.util.Map<String, double[]> thetaA = new java.util.HashMap<>(), thetaB = new java.util.HashMap<>();
    Trainer a = new Trainer(jsc, sparse, model, spec, null).finalParameters(thetaA::put);
    Trainer b = new Trainer(jsc, sparse, model, spec, null).finalParameters(thetaB::put);
    b.objective().restrictingSteps(false);
    List<RunResult> ra = a.train(runs);
    List<RunResult> rb = b.train(runs);
    assertEquals(11, a.objective().restrictedSteps(), "steps 1..11 restricted, evaluations between them");
    assertEquals(0, b.objective().restrictedSteps());
    for (int j = 0; j < runs.size(); j++) {
      List<MetricRow> x = ra.get(j).rows(), y = rb.get(j).rows();
      assertEquals(13, x.size());
      assertEquals(y.size(), x.size());
      for (int i = 0; i < x.size(); i++) {
        MetricRow m = x.get(i), n = y.get(i);
        for (Double[] v : new Double[][] {{m.batchLoss(), n.batchLoss()}, {m.trainLoss(), n.trainLoss()},
            {m.gradNorm(), n.gradNorm()}, {m.testLoss(), n.testLoss()}}) {
          assertEquals(v[1] == null ? null : Double.doubleToRawLongBits(v[1]),
              v[0] == null ? null : Double.doubleToRawLongBits(v[0]), "run " + j + " row " + i);
        }
      }
      assertArrayEquals(bits(thetaB.get("r" + j)), bits(thetaA.get("r" + j)), "run " + j + ": final parameters");
    }
  }

  @Test
  void aCohortThatLosesRunsStaysExact() {
    Model model = new BinaryLogisticRegression(3000, 0.001);
    BatchSampler sampler = new BatchSampler(8, sparse.partitionRows(), B);
    CohortObjective full = new CohortObjective(jsc, sparse, model, 3).restrictingSteps(false);
    CohortObjective restricted = new CohortObjective(jsc, sparse, model, 3).reusingStepGradients();
    double[][] th = thetas(model, 4, 23);
    for (long k = 0; k < 6; k++) {
      if (k == 2) th = new double[][] {th[0], th[2], th[3]};  // run 1 diverged
      if (k == 4) th = new double[][] {th[2]};                 // two more stopped
      CohortObjective.Result a = full.step(th, sampler, k);
      CohortObjective.Result b = restricted.step(th, sampler, k);
      assertSameResult(a, b, "K = " + th.length + ", step " + k);
      if (k > 0) {
        assertEquals((long) th.length * reference(model, sampler, k).length, restricted.shippedDoubles(),
            "step " + k);
      }
      move(th, a);
    }
    assertEquals(5, restricted.restrictedSteps());
  }

  @Test
  void theFullVectorsGoWhenTheHeldSetIsNotThisStepsOrAfterAnEvaluationItStillIs() {
    Model model = new BinaryLogisticRegression(3000, 0.001);
    BatchSampler sampler = new BatchSampler(8, sparse.partitionRows(), B);
    CohortObjective full = new CohortObjective(jsc, sparse, model, 4).restrictingSteps(false);
    CohortObjective objective = new CohortObjective(jsc, sparse, model, 4);
    double[][] th = thetas(model, 2, 29);
    long n2 = 2L * model.numParams();
    // step 0: full; an evaluation between steps changes nothing: step 1 restricted
    objective.step(th, sampler, 0);
    objective.evaluate(th, false);
    assertSameResult(full.step(th, sampler, 1), objective.step(th, sampler, 1), "after an evaluation");
    assertEquals(1, objective.restrictedSteps());
    // a step other than the next one (step 3 after step 1): full, and from there on restricted again
    assertSameResult(full.step(th, sampler, 3), objective.step(th, sampler, 3), "step 3 after step 1");
    assertEquals(n2, objective.shippedDoubles());
    assertSameResult(full.step(th, sampler, 4), objective.step(th, sampler, 4), "step 4");
    assertEquals(2, objective.restrictedSteps());
    // the same step of another sampler (a resume makes a new one, even with the same seed): full
    BatchSampler again = new BatchSampler(8, sparse.partitionRows(), B);
    assertSameResult(full.step(th, again, 5), objective.step(th, again, 5), "a new sampler");
    assertEquals(n2, objective.shippedDoubles());
    assertEquals(2, objective.restrictedSteps());
    // a step repeated (the held set is for step 6): full
    assertSameResult(full.step(th, again, 5), objective.step(th, again, 5), "step 5 again");
    assertEquals(2, objective.restrictedSteps());
  }

  @Test
  void denseBlocksAlwaysShipTheFullVectors() {
    var spark = TestSpark.session();
    PreparedData dense = DatasetLoader.load(spark, DataSpec.of("libsvm",
        TestSpark.data("breast_cancer.libsvm").toString(), 30, 0.0, 0L, true), 5);
    try {
      Model model = new BinaryLogisticRegression(30, 0.01);
      BatchSampler sampler = new BatchSampler(3, dense.partitionRows(), 16);
      CohortObjective objective = new CohortObjective(jsc, dense, model, 2);
      double[][] th = thetas(model, 2, 1);
      for (long k = 0; k < 3; k++) objective.step(th, sampler, k);
      assertEquals(0, objective.restrictedSteps());
      assertEquals(2L * 31, objective.shippedDoubles());
    } finally {
      dense.unpersist();
    }
  }

  @Test
  void leavesOfShippedCoordinatesAreTheLeavesOfTheFullVectors() {
    BatchSampler sampler = new BatchSampler(2, sparse.partitionRows(), B);
    long savedBytes = GradientLeaf.scratchBytes;
    try {
      for (Model model : models()) {
        int n = model.numParams();
        double[][] th = thetas(model, 5, 31);
        for (long scratch : new long[] {GradientLeaf.SCRATCH_BYTES, 8L * n * 2}) {  // 5 runs at once, or 2 at a time
          GradientLeaf.scratchBytes = scratch;
          for (long k = 0; k < 3; k++) {
            int[] u = reference(model, sampler, k);
            double[][] values = new double[th.length][u.length];
            for (int j = 0; j < th.length; j++) for (int t = 0; t < u.length; t++) values[j][t] = th[j][u[t]];
            for (int p = 0; p < blocks.size(); p++) {
              int[] rows = sampler.rows(p, k);
              Partial ref = GradientLeaf.compute(model, th, blocks.get(p), rows, rows.length, p);
              Partial leaf = GradientLeaf.compute(model, u, values, blocks.get(p), rows, rows.length, p);
              String what = model.getClass().getSimpleName() + " n = " + n + ", partition " + p + ", step " + k;
              assertArrayEquals(ref.index(), leaf.index(), what);
              assertArrayEquals(bits(ref.losses()), bits(leaf.losses()), what);
              for (int j = 0; j < th.length; j++) assertArrayEquals(bits(ref.grads()[j]), bits(leaf.grads()[j]), what);
              // the thread's parameter scratch is all +0.0 again
              for (double[] t : GradientLeaf.scratchThetas()) {
                for (double x : t) assertEquals(0L, Double.doubleToRawLongBits(x), what + ": scratch left dirty");
              }
            }
          }
        }
      }
    } finally {
      GradientLeaf.scratchBytes = savedBytes;
    }
  }

  @Test
  void aShippedSetMissingACoordinateTheRowsReadIsRefused() {
    Model model = new BinaryLogisticRegression(3000, 0.001);
    BatchSampler sampler = new BatchSampler(2, sparse.partitionRows(), B);
    int p = 0;
    while (sampler.rows(p, 1).length == 0) p++;
    int[] rows = sampler.rows(p, 1);
    int[] u = reference(model, sampler, 0);  // another step's set
    int[] touched = model.touchedParameters(GradientLeaf.features(blocks.get(p), rows));
    boolean covered = Arrays.stream(touched).allMatch(t -> Arrays.binarySearch(u, t) >= 0);
    assertTrue(!covered, "step 0's set happens to cover step 1's rows: the test cannot fail");
    double[][] values = new double[1][u.length];
    int part = p;
    assertThrows(IllegalStateException.class,
        () -> GradientLeaf.compute(model, u, values, blocks.get(part), rows, rows.length, part));
  }

  @Test
  void nextFeaturesMergeAsASortedUnionAndAnUnknownChildMakesTheNodeUnknown() {
    Partial a = new Partial(0, 1, new double[] {1}, null, null).withNextFeatures(new int[] {1, 4, 9});
    Partial b = new Partial(1, 1, new double[] {2}, null, null).withNextFeatures(new int[] {0, 4, 10});
    Partial c = new Partial(2, 1, new double[] {3}, null, null).withNextFeatures(new int[0]);
    PartialSum s = new PartialSum(11);
    s.add(a);
    s.add(b);
    s.add(c);
    assertArrayEquals(new int[] {0, 1, 4, 9, 10}, s.result(0).nextFeatures());
    s.add(new Partial(3, 1, new double[] {4}, null, null));
    assertEquals(null, s.result(0).nextFeatures());
  }
}
