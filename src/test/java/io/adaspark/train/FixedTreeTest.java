package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DataSpec;
import io.adaspark.data.SyntheticSpec;
import io.adaspark.data.CsrBlock;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.model.Activation;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Mlp;
import io.adaspark.model.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed summation tree against sums written out here: every node of level ℓ is
 * {@code ((+0.0 + c₀) + c₁) + …} over its F children in index order, the leaves being the old
 * dense per-partition partials (fresh zeros plus the kernel) — except that a step's level-1 nodes
 * below the root on dense blocks are the leaf of their partitions' rows gathered into one block
 * ({@link #referenceStepTree}). Its bits must not depend on which
 * tasks compute which nodes, on the order results arrive in, or on sparse versus dense partials;
 * F ≥ P must be the flat in-order sum of before the tree.
 */
class FixedTreeTest {
  static PreparedData dense;   // breast cancer, 16 partitions, dense blocks
  static PreparedData sparse;  // synthetic logistic, d = 3000, 30 non-zeros a row, 13 partitions, CSR
  static JavaSparkContext jsc;

  @BeforeAll
  static void load() {
    var spark = TestSpark.session();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    dense = DatasetLoader.load(spark, DataSpec.of("libsvm", TestSpark.data("breast_cancer.libsvm").toString(),
        30, 0.0, 0L, true), 16);
    sparse = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 4000L, 3000, null, 0.01, null, 5L, 0.0, 1L,
        false, "sparse"), 13);
  }

  @AfterAll
  static void drop() {
    dense.unpersist();
    sparse.unpersist();
  }

  // ---- the references, written out ----

  /** The old leaf: fresh zeros, the fused kernel over the selected rows. */
  static Partial denseLeaf(Model model, double[][] thetas, DataBlock block, int[] rows, int p) {
    int count = rows == null ? block.numRows() : rows.length;
    double[][] g = new double[thetas.length][model.numParams()];
    double[] losses = count == 0 ? new double[thetas.length] : model.addLossGradientFused(thetas, block, rows, count, g);
    return new Partial(p, count, losses, g, null);
  }

  /** A partial as dense arrays (absent coordinates +0.0, present ones as stored, -0.0 included). */
  static double[][] densified(Partial p, int n) {
    if (!p.sparse()) return p.grads();
    double[][] out = new double[p.grads().length][n];
    for (int j = 0; j < out.length; j++) {
      for (int t = 0; t < p.index().length; t++) out[j][p.index()[t]] = p.grads()[j][t];
    }
    return out;
  }

  /** The tree by its definition: levels of F-groups until one node remains (at least one level). */
  static Partial referenceTree(List<Partial> leaves, int fanIn, int n) {
    List<Partial> level = new ArrayList<>(leaves);
    do {
      List<Partial> next = new ArrayList<>();
      for (int a = 0; a < level.size(); a += fanIn) {
        List<Partial> kids = level.subList(a, Math.min(a + fanIn, level.size()));
        int k = kids.get(0).losses().length;
        double[] losses = new double[k];
        double[][] g = new double[k][n];
        long count = 0;
        for (Partial c : kids) {
          count += c.count();
          double[][] cg = densified(c, n);
          for (int j = 0; j < k; j++) {
            losses[j] = losses[j] + c.losses()[j];
            for (int i = 0; i < n; i++) g[j][i] = g[j][i] + cg[j][i];
          }
        }
        next.add(new Partial(next.size(), count, losses, g, null));
      }
      level = next;
    } while (level.size() > 1);
    return level.get(0);
  }

  /**
   * A step's tree on dense blocks by its definition: with F ≥ P the flat sum of the leaves; in a
   * deeper tree each level-1 node is the leaf of one block holding its partitions' selected rows,
   * concatenated in partition order (gathered here, row by row), and the levels above sum their
   * children as usual.
   */
  static Partial referenceStepTree(PreparedData data, Model model, double[][] th, BatchSampler sampler, long k,
                                   int fanIn) {
    List<DataBlock> blocks = data.train().collect();
    if (fanIn >= blocks.size()) return referenceTree(referenceLeaves(data, model, th, sampler, k), fanIn,
        model.numParams());
    int d = model.numFeatures();
    List<Partial> nodes = new ArrayList<>();
    for (int a = 0; a < blocks.size(); a += fanIn) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int p = a; p < Math.min(a + fanIn, blocks.size()); p++) {
        io.adaspark.data.DenseBlock b = (io.adaspark.data.DenseBlock) blocks.get(p);
        for (int r : sampler.rows(p, k)) {
          for (int f = 0; f < d; f++) x.add(b.x()[r * d + f]);
          y.add(b.label(r));
        }
      }
      DataBlock gathered = new io.adaspark.data.DenseBlock(y.size(), d,
          x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
      nodes.add(denseLeaf(model, th, gathered, null, nodes.size()));
    }
    return referenceTree(nodes, fanIn, model.numParams());
  }

  static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
    return b;
  }

  static void assertSameBits(Partial expected, Partial actual, String what) {
    assertEquals(expected.count(), actual.count(), what + ": count");
    assertArrayEquals(bits(expected.losses()), bits(actual.losses()), what + ": losses");
    for (int j = 0; j < expected.grads().length; j++) {
      assertArrayEquals(bits(expected.grads()[j]), bits(actual.grads()[j]), what + ": gradient of run " + j);
    }
  }

  static double[][] thetas(Model model, int k, long seed) {
    Random r = new Random(seed);
    double[][] th = new double[k][model.numParams()];
    for (double[] t : th) for (int i = 0; i < t.length; i++) t[i] = r.nextGaussian() * 0.3;
    return th;
  }

  /** The step's root through CohortObjective, tasks at {@code taskLevel} (-1: default). */
  static Partial stepRoot(PreparedData data, Model model, double[][] th, BatchSampler sampler, long k, int fanIn,
                          int taskLevel) {
    Broadcast<double[][]> bc = jsc.broadcast(th);
    try {
      return new CohortObjective(jsc, data, model, fanIn).taskLevel(taskLevel)
          .sum(data.train(), new StepTask(model, bc, sampler, k));
    } finally {
      bc.destroy();
    }
  }

  static List<Partial> referenceLeaves(PreparedData data, Model model, double[][] th, BatchSampler sampler, long k) {
    List<DataBlock> blocks = data.train().collect();
    List<Partial> leaves = new ArrayList<>();
    for (int p = 0; p < blocks.size(); p++) {
      leaves.add(denseLeaf(model, th, blocks.get(p), sampler == null ? null : sampler.rows(p, k), p));
    }
    return leaves;
  }

  // ---- the tests ----

  @Test
  void aStepSendsItsParametersInsideItsTasksOrInABroadcastWithTheSameBits() {
    long saved = CohortObjective.inlineStepDoubles;
    try {
      // dense: K·n = 3·31 (inline by default); sparse: K·n = 6·3001 > 16,384 (a broadcast by default)
      Object[][] cases = {{dense, new BinaryLogisticRegression(30, 0.01), 3, 64},
          {sparse, new BinaryLogisticRegression(3000, 0.001), 6, 96}};
      for (Object[] c : cases) {
        PreparedData data = (PreparedData) c[0];
        Model model = (Model) c[1];
        double[][] th = thetas(model, (Integer) c[2], 7);
        BatchSampler sampler = new BatchSampler(3, data.partitionRows(), (Integer) c[3]);
        CohortObjective objective = new CohortObjective(jsc, data, model, 4);
        for (long k : new long[] {0, 3}) {
          CohortObjective.inlineStepDoubles = Long.MAX_VALUE;
          CohortObjective.Result inline = objective.step(th, sampler, k);
          CohortObjective.inlineStepDoubles = 0;
          CohortObjective.Result broadcast = objective.step(th, sampler, k);
          CohortObjective.inlineStepDoubles = saved;
          CohortObjective.Result byDefault = objective.step(th, sampler, k);
          String what = model.numParams() + " parameters, step " + k;
          assertArrayEquals(bits(broadcast.losses()), bits(inline.losses()), what + ": losses");
          assertArrayEquals(bits(broadcast.losses()), bits(byDefault.losses()), what + ": losses");
          for (int j = 0; j < th.length; j++) {
            assertArrayEquals(bits(broadcast.grads()[j]), bits(inline.grads()[j]), what + ": gradient of run " + j);
            assertArrayEquals(bits(broadcast.grads()[j]), bits(byDefault.grads()[j]), what + ": gradient of run " + j);
          }
          // the parameters do reach the tasks: run 0 and run 1 differ
          assertTrue(inline.losses()[0] != inline.losses()[1], what);
        }
      }
    } finally {
      CohortObjective.inlineStepDoubles = saved;
    }
  }

  @Test
  void fanInAtLeastThePartitionsIsTheFlatSumOfBefore() {
    Model model = new BinaryLogisticRegression(30, 0.01);
    double[][] th = thetas(model, 3, 1);
    BatchSampler sampler = new BatchSampler(4, dense.partitionRows(), 64);
    for (long k : new long[] {0, 5, 8}) {
      List<Partial> leaves = referenceLeaves(dense, model, th, sampler, k);
      Partial flat = Partial.sumInOrder(leaves);
      // the flat sum written out: one accumulator per coordinate, partitions in order
      double[] g0 = new double[31];
      for (Partial p : leaves) for (int i = 0; i < 31; i++) g0[i] += p.grads()[0][i];
      assertArrayEquals(bits(g0), bits(flat.grads()[0]));
      for (int fanIn : new int[] {16, 17, 1000}) {
        assertSameBits(flat, stepRoot(dense, model, th, sampler, k, fanIn, -1), "F = " + fanIn + ", step " + k);
      }
    }
  }

  @Test
  void treeBitsDependOnlyOnPartitionsAndFanIn() {
    Model model = new BinaryLogisticRegression(30, 0.01);
    double[][] th = thetas(model, 2, 2);
    BatchSampler sampler = new BatchSampler(9, dense.partitionRows(), 200);
    List<Partial> leaves = referenceLeaves(dense, model, th, sampler, 1);
    for (int fanIn : new int[] {2, 3, 4, 5}) {
      Partial expected = referenceStepTree(dense, model, th, sampler, 1, fanIn);
      int depth = new FixedTree(16, fanIn).depth();
      for (int level = 0; level <= depth; level++) {
        assertSameBits(expected, stepRoot(dense, model, th, sampler, 1, fanIn, level),
            "P = 16, F = " + fanIn + ", tasks at level " + level);
      }
      // the full pass keeps the leaves: every level-1 node a sum of whole leaves
      List<Partial> full = referenceLeaves(dense, model, th, null, 0);
      Broadcast<double[][]> bc = jsc.broadcast(th);
      try {
        for (int level = 0; level <= depth; level++) {
          assertSameBits(referenceTree(full, fanIn, 31), new CohortObjective(jsc, dense, model, fanIn).taskLevel(level)
              .sum(dense.train(), new EvalTask(model, bc, true)), "full pass, F = " + fanIn + ", tasks at level " + level);
        }
      } finally {
        bc.destroy();
      }
    }
    // the tree is a real tree: F = 4 differs from the flat sum somewhere (else this test could not fail),
    // and a step's level-1 nodes over their rows differ from the sums of their leaves somewhere
    Partial flat = referenceStepTree(dense, model, th, sampler, 1, 16);
    Partial four = referenceStepTree(dense, model, th, sampler, 1, 4);
    Partial fourOfLeaves = referenceTree(leaves, 4, 31);
    boolean differs = false;
    boolean rowsDiffer = false;
    for (int i = 0; i < 31; i++) {
      differs |= flat.grads()[0][i] != four.grads()[0][i];
      rowsDiffer |= fourOfLeaves.grads()[0][i] != four.grads()[0][i];
    }
    assertTrue(differs, "F = 4 and the flat sum agree on every coordinate; the data cannot tell the trees apart");
    assertTrue(rowsDiffer, "level-1 nodes over rows and over leaves agree everywhere; the data cannot tell them apart");
  }

  @Test
  void denseLeavesAddedIntoTheirNodeRunByRunAreTheWholeLeaves() {
    // Above level 0 a step's level-1 node on dense blocks is the kernel over its partitions' rows
    // (GradientLeaf.addRowsInto) and a full pass's dense leaf is added into its node run by run
    // through the thread's scratch (GradientLeaf.addInto); the sums must be those of the tree by
    // its definition, whatever the chunk of runs.
    Model mlp = Mlp.of(new int[] {30, 9, 2}, new Activation[] {Activation.TANH}, 0.01);
    double[][] th = thetas(mlp, 3, 11);
    BatchSampler sampler = new BatchSampler(5, dense.partitionRows(), 96);
    long savedChunk = GradientLeaf.denseChunkBytes;
    try {
      for (long chunk : new long[] {8, 16L * mlp.numParams(), savedChunk}) {
        GradientLeaf.denseChunkBytes = chunk;
        for (long k : new long[] {0, 4}) {
          for (int fanIn : new int[] {3, 4}) {
            Partial expected = referenceStepTree(dense, mlp, th, sampler, k, fanIn);
            for (int level = 1; level <= new FixedTree(16, fanIn).depth(); level++) {
              assertSameBits(expected, stepRoot(dense, mlp, th, sampler, k, fanIn, level),
                  "MLP step " + k + ", F = " + fanIn + ", tasks at level " + level + ", chunk " + chunk + " B");
            }
          }
        }
        List<Partial> full = referenceLeaves(dense, mlp, th, null, 0);
        Partial expected = referenceTree(full, 4, mlp.numParams());
        Broadcast<double[][]> bc = jsc.broadcast(th);
        try {
          for (int level = 1; level <= 2; level++) {
            Partial pass = new CohortObjective(jsc, dense, mlp, 4).taskLevel(level)
                .sum(dense.train(), new EvalTask(mlp, bc, true));
            assertSameBits(expected, pass, "MLP full pass, F = 4, tasks at level " + level + ", chunk " + chunk + " B");
          }
        } finally {
          bc.destroy();
        }
      }
    } finally {
      GradientLeaf.denseChunkBytes = savedChunk;
    }
    // run by run means one run a chunk at the default chunk for a wide model
    assertEquals(1, GradientLeaf.denseRuns(8, 203_530));
    assertEquals(8, GradientLeaf.denseRuns(8, 31));
  }

  @Test
  void aStepsDenseNodeOfSeveralChunksIsOneKernelCallOverItsRows() {
    // Level-1 nodes of 600–800 rows: GradientLeaf.addRowsInto gathers and runs the kernel one
    // 256-row chunk at a time; the reference gathers all the node's rows and calls it once.
    PreparedData big = DatasetLoader.load(TestSpark.session(), SyntheticSpec.of("gaussian_mixture", 6000L, 12, 3,
        null, 0.05, 9L, 0.0, 1L, false, null), 8);
    try {
      assertTrue(big.train().first() instanceof io.adaspark.data.DenseBlock);
      BatchSampler sampler = new BatchSampler(3, big.partitionRows(), 2900);
      for (Model model : List.of(Mlp.of(new int[] {12, 7, 3}, new Activation[] {Activation.TANH}, 0.01),
          Mlp.softmaxRegression(12, 3, 0.0))) {
        double[][] th = thetas(model, 3, 5);
        for (int fanIn : new int[] {2, 4}) {
          Partial expected = referenceStepTree(big, model, th, sampler, 1, fanIn);
          for (int level = 1; level <= new FixedTree(8, fanIn).depth(); level++) {
            assertSameBits(expected, stepRoot(big, model, th, sampler, 1, fanIn, level),
                model.numParams() + " parameters, F = " + fanIn + ", tasks at level " + level);
          }
        }
      }
    } finally {
      big.unpersist();
    }
  }

  @Test
  void arrivalOrderDoesNotMatter() {
    // Hand-made children: sparse and dense, with -0.0 values, folded from every level in random orders.
    int n = 12;
    Random r = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int partitions = 1 + r.nextInt(20);
      int fanIn = 2 + r.nextInt(4);
      List<Partial> leaves = new ArrayList<>();
      for (int p = 0; p < partitions; p++) leaves.add(randomPartial(r, p, n));
      Partial expected = referenceTree(leaves, fanIn, n);
      FixedTree tree = new FixedTree(partitions, fanIn);
      for (int level = 0; level < tree.depth(); level++) {
        // the nodes of this level as the tasks would compute them
        List<Partial> nodes = new ArrayList<>();
        FixedTree.Fold f = tree.fold(0, level, n);
        for (int p = 0; p < partitions; p++) {
          Partial out = f.add(p, leaves.get(p));
          if (out != null) nodes.add(out);
        }
        assertEquals(tree.nodes(level), nodes.size());
        for (int order = 0; order < 3; order++) {
          List<Integer> arrival = new ArrayList<>();
          for (int i = 0; i < nodes.size(); i++) arrival.add(i);
          Collections.shuffle(arrival, r);
          CohortObjective.RootFold root = new CohortObjective.RootFold(tree, level, n);
          for (int i : arrival) root.apply(i, nodes.get(i));
          assertSameBits(expected, root.root(), "P = " + partitions + ", F = " + fanIn + ", level " + level
              + ", arrival " + arrival);
        }
      }
    }
  }

  /** Values with zeros of both signs; sparse or dense at random. */
  static Partial randomPartial(Random r, int p, int n) {
    int k = 2;
    boolean sparse = r.nextBoolean();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) if (!sparse || r.nextInt(3) == 0) idx.add(i);
    double[][] v = new double[k][idx.size()];
    for (double[] row : v) {
      for (int t = 0; t < row.length; t++) {
        int c = r.nextInt(4);
        row[t] = c == 0 ? -0.0 : c == 1 ? 0.0 : r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
      }
    }
    double[] losses = {r.nextGaussian(), -0.0};
    if (!sparse) return new Partial(p, r.nextInt(5), losses, v, null);
    return new Partial(p, r.nextInt(5), losses, v, null, idx.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void negativeZerosSumAsInTheDenseSum() {
    // child 0 carries -0.0 at coordinate 1; child 1 does not carry coordinate 1; child 2 carries -0.0 there.
    Partial c0 = new Partial(0, 1, new double[] {0}, new double[][] {{-0.0, 1.5}}, null, new int[] {1, 2});
    Partial c1 = new Partial(1, 1, new double[] {0}, new double[][] {{2.0}}, null, new int[] {0});
    double[] minusZeros = new double[10];
    java.util.Arrays.fill(minusZeros, -0.0);
    Partial c2 = new Partial(2, 1, new double[] {0}, new double[][] {minusZeros}, null);
    PartialSum s = new PartialSum(10);
    s.add(c0);
    s.add(c1);
    Partial two = s.result(0);
    assertTrue(two.sparse());
    assertArrayEquals(new int[] {0, 1, 2}, two.index());
    // dense: (+0.0 + -0.0) + +0.0 = +0.0 at coordinate 1
    assertArrayEquals(bits(new double[] {2.0, 0.0, 1.5}), bits(two.grads()[0]));
    s.add(c2);
    Partial three = s.denseResult(0);
    assertArrayEquals(bits(new double[] {2.0, 0.0, 1.5, 0, 0, 0, 0, 0, 0, 0}), bits(three.grads()[0]));
    PartialSum one = new PartialSum(10);
    one.add(c0);
    assertArrayEquals(bits(new double[] {0.0, 1.5}), bits(one.result(0).grads()[0]), "+0.0 + -0.0 = +0.0");
  }

  @Test
  void sparseLeavesAreTheDenseLeavesBitForBit() {
    Model logreg = new BinaryLogisticRegression(3000, 0.001);
    Model mlp = new Mlp(new int[] {3000, 5, 2}, new Activation[] {Activation.TANH}, 0.0);
    List<DataBlock> blocks = sparse.train().collect();
    BatchSampler sampler = new BatchSampler(2, sparse.partitionRows(), 256);
    for (Model model : List.of(logreg, mlp)) {
      double[][] th = thetas(model, 3, 7);
      for (long k = 0; k < 3; k++) {
        for (int p = 0; p < blocks.size(); p++) {
          int[] rows = sampler.rows(p, k);
          Partial ref = denseLeaf(model, th, blocks.get(p), rows, p);
          Partial leaf = GradientLeaf.compute(model, th, blocks.get(p), rows, rows.length, p);
          assertTrue(leaf.sparse(), "a mini-batch leaf on CSR rows is sparse");
          assertTrue(leaf.index().length < model.numParams() / 2);
          double[][] d = densified(leaf, model.numParams());
          for (int j = 0; j < th.length; j++) {
            assertArrayEquals(bits(ref.grads()[j]), bits(d[j]), model.getClass().getSimpleName() + " partition "
                + p + " step " + k + " run " + j);
          }
          assertArrayEquals(bits(ref.losses()), bits(leaf.losses()));
        }
      }
    }
    CsrBlock b = (CsrBlock) blocks.get(0);
    assertEquals(30, b.nnz() / b.numRows(), "30 non-zeros a row");
  }

  @Test
  void sparseStepsAndPassesAreTheOldDenseSums() {
    Model model = new BinaryLogisticRegression(3000, 0.001);
    double[][] th = thetas(model, 2, 11);
    BatchSampler sampler = new BatchSampler(6, sparse.partitionRows(), 512);
    for (long k : new long[] {0, 4}) {
      List<Partial> leaves = referenceLeaves(sparse, model, th, sampler, k);
      // before the tree: dense leaves, flat sum in partition order
      assertSameBits(Partial.sumInOrder(leaves), stepRoot(sparse, model, th, sampler, k, 16, -1), "F >= P");
      for (int fanIn : new int[] {2, 3, 5}) {
        Partial expected = referenceTree(leaves, fanIn, model.numParams());
        for (int level = 0; level <= new FixedTree(13, fanIn).depth(); level++) {
          assertSameBits(expected, stepRoot(sparse, model, th, sampler, k, fanIn, level),
              "sparse step " + k + ", F = " + fanIn + ", tasks at level " + level);
        }
      }
    }
    // a full pass (evaluation, optimum): the same tree
    List<Partial> leaves = referenceLeaves(sparse, model, new double[][] {th[0]}, null, 0);
    Partial expected = referenceTree(leaves, 3, model.numParams());
    double[] grad = new double[model.numParams()];
    double value = new CohortObjective(jsc, sparse, model, 3).value(th[0], grad);
    double inv = 1.0 / expected.count();
    double[] g = expected.grads()[0].clone();
    for (int i = 0; i < g.length; i++) g[i] = g[i] * inv;
    double loss = expected.losses()[0] * inv + model.penalty(th[0], g);
    assertArrayEquals(bits(g), bits(grad));
    assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(value));
  }
}
