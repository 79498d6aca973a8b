package io.adaspark.train;

import io.adaspark.TestSpark;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.data.SyntheticSpec;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Model;
import io.adaspark.optim.Adam;
import io.adaspark.optim.Optimizer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: a timing harness for the parts of one mini-batch step (issue 18) at d = 10⁶
 * hashed features, 50 non-zeros a row, K = 8 Adam runs, B = 1024, P = 4 (n = 20,000: a step's
 * cost depends on B, not n). Prints median milliseconds of: the broadcast's creation, its first
 * read in the tasks, its destruction; the tree job; densifying the sparse root into new arrays
 * and into kept rows; the K optimizer steps. Runs only with {@code -Dadaspark.stepProbe=true}:
 * {@code mvn -B -o -q test -Dtest=StepCostProbe -Dadaspark.stepProbe=true}.
 */
@EnabledIfSystemProperty(named = "adaspark.stepProbe", matches = "true")
class StepCostProbe {

  @Test
  void partsOfOneStep() {
    var spark = TestSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int d = 1_000_000, k = 8, p = 4, b = 1024, reps = 15;
    PreparedData data = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 20_000L, d, null, 0.00005, null, 7L,
        0.0, 1L, false, "sparse"), p);
    try {
      Model model = new BinaryLogisticRegression(d, 1e-6);
      double[][] th = FixedTreeTest.thetas(model, k, 1);
      BatchSampler sampler = new BatchSampler(1, data.partitionRows(), b);
      CohortObjective objective = new CohortObjective(jsc, data, model, 16);
      Optimizer[] adam = new Optimizer[k];
      for (int j = 0; j < k; j++) adam[j] = Adam.Config.defaults().create(model.numParams());
      double[][] kept = new double[k][model.numParams()];
      double[] create = new double[reps], read = new double[reps], destroy = new double[reps], tree = new double[reps],
          fresh = new double[reps], reuse = new double[reps], opt = new double[reps];
      int touched = 0;
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        Broadcast<double[][]> bc = jsc.broadcast(th);
        long t1 = System.nanoTime();
        data.train().foreachPartition(it -> bc.value());
        long t2 = System.nanoTime();
        Partial dense = objective.sum(data.train(), new StepTask(model, bc, sampler, r));
        long t3 = System.nanoTime();
        bc.destroy();
        long t4 = System.nanoTime();
        // the root as the fold holds it before densifying: the touched coordinates only
        Partial sparseRoot = sparse(dense);
        touched = sparseRoot.index().length;
        PartialSum again = new PartialSum(model.numParams());
        again.add(sparseRoot);
        long t5 = System.nanoTime();
        Partial a = again.denseResult(0);
        long t6 = System.nanoTime();
        PartialSum again2 = new PartialSum(model.numParams());
        again2.add(sparseRoot);
        long t7 = System.nanoTime();
        Partial c = again2.denseResult(0, kept);
        long t8 = System.nanoTime();
        for (int j = 0; j < k; j++) adam[j].step(th[j], c.grads()[j], 1e-3);
        long t9 = System.nanoTime();
        create[r] = (t1 - t0) / 1e6;
        read[r] = (t2 - t1) / 1e6;
        tree[r] = (t3 - t2) / 1e6;
        destroy[r] = (t4 - t3) / 1e6;
        fresh[r] = (t6 - t5) / 1e6;
        reuse[r] = (t8 - t7) / 1e6;
        opt[r] = (t9 - t8) / 1e6;
        if (a.grads() == null) throw new AssertionError();
      }
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      System.out.printf("STEP-PROBE d=%d K=%d P=%d B=%d touched=%d load=%.2f (median ms of %d, first 3 dropped)%n"
          + "STEP-PROBE broadcast create %.2f | first read (a job) %.2f | destroy %.2f | tree job %.2f%n"
          + "STEP-PROBE densify new arrays %.2f | densify kept rows %.2f | %d Adam steps %.2f%n",
          d, k, p, b, touched, load, reps - 3, med(create), med(read), med(destroy), med(tree), med(fresh), med(reuse),
          k, med(opt));
    } finally {
      data.unpersist();
    }
  }

  /**
   * Whole steps ({@link CohortObjective#step}, consecutive, P = 4) shipping only the parameters
   * their rows read against shipping the K full vectors, paired step by step (restricted, full,
   * restricted, …) on two objectives over the same cached blocks: d and K from {@code
   * -Dadaspark.probe.d} and {@code -Dadaspark.probe.k} (default 10⁶ and 8); d = 10⁷ or K = 64 need
   * {@code -Dtest.heap=12g}.
   */
  @Test
  void wholeStepsShippingOnlyTheReadParametersOrAll() {
    var spark = TestSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int d = Integer.getInteger("adaspark.probe.d", 1_000_000);
    int k = Integer.getInteger("adaspark.probe.k", 8);
    int p = 4, b = 1024, reps = 15;
    PreparedData data = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 20_000L, d, null, 50.0 / d, null, 7L,
        0.0, 1L, false, "sparse"), p);
    try {
      Model model = new BinaryLogisticRegression(d, 1e-6);
      double[][] th = FixedTreeTest.thetas(model, k, 1);
      CohortObjective restricted = new CohortObjective(jsc, data, model, 16).reusingStepGradients();
      CohortObjective full = new CohortObjective(jsc, data, model, 16).reusingStepGradients().restrictingSteps(false);
      BatchSampler sr = new BatchSampler(1, data.partitionRows(), b);
      BatchSampler sf = new BatchSampler(1, data.partitionRows(), b);
      double[] tr = new double[reps], tf = new double[reps];
      long shippedR = 0, shippedF = 0;
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        restricted.step(th, sr, r);
        long t1 = System.nanoTime();
        full.step(th, sf, r);
        long t2 = System.nanoTime();
        tr[r] = (t1 - t0) / 1e6;
        tf[r] = (t2 - t1) / 1e6;
        shippedR = restricted.shippedDoubles();
        shippedF = full.shippedDoubles();
      }
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      System.out.printf("STEP-PROBE whole step d=%d K=%d P=%d B=%d load=%.2f (median ms of %d, first 3 dropped; "
          + "restricted steps %d of %d)%n"
          + "STEP-PROBE shipping the read parameters (%d doubles) %.2f | shipping all (%d doubles) %.2f | ratio %.2f%n",
          d, k, p, b, load, reps - 3, restricted.restrictedSteps(), reps, shippedR, med(tr), shippedF, med(tf),
          med(tf) / med(tr));
    } finally {
      data.unpersist();
    }
  }

  private static Partial sparse(Partial dense) {
    double[][] g = dense.grads();
    int[] idx = java.util.stream.IntStream.range(0, g[0].length).filter(i -> {
      for (double[] row : g) if (Double.doubleToRawLongBits(row[i]) != 0L) return true;
      return false;
    }).toArray();
    double[][] v = new double[g.length][idx.length];
    for (int j = 0; j < g.length; j++) for (int t = 0; t < idx.length; t++) v[j][t] = g[j][idx[t]];
    return new Partial(0, dense.count(), dense.losses(), v, null, idx);
  }

  private static double med(double[] v) {
    double[] s = Arrays.copyOfRange(v, 3, v.length);
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
