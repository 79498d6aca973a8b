package io.adaspark.bench;

import io.adaspark.model.Activation;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Mlp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of BENCHMARKS.md as data, at the sizes of the options: each a {@link Row} (id, goal,
 * subject and anchor sides over the {@link Fixture}), in the order they run and appear in
 * bench.json. What one round of a side is lives here; how rounds are run, paired and summarized
 * lives in {@link PairedRounds}, the same for every row.
 */
final class Rows {
  private Rows() {}

  /** The row ids, in order. */
  static final List<String> IDS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");

  /** Steps (adaspark) a round of the step rows; MLlib's iterations a round are min(S, 20). */
  static int steps(Bench.Options o) {
    return o.method().steps();
  }

  static int sgdIterations(Bench.Options o) {
    return Math.max(2, Math.min(o.method().steps(), 20));
  }

  /** Full passes a round of the pass rows. */
  static int passes(Bench.Options o) {
    return o.quick() ? 2 : 5;
  }

  static int lrIterations(Bench.Options o) {
    return o.quick() ? 3 : 20;
  }

  static int mlpIterations(Bench.Options o) {
    return o.quick() ? 3 : 6;
  }

  /** Warm-up rounds of each side, discarded. */
  static int warmupRounds(Bench.Options o) {
    return o.quick() ? 1 : 2;
  }

  /** Paired rounds a row. */
  static int rounds(Bench.Options o) {
    return Math.max(o.method().reps(), o.quick() ? 2 : 5);
  }

  /** Every row at the sizes of {@code o}. */
  static List<Row> all(Bench.Options o) {
    Bench.Sizes z = o.sizes();
    int s = steps(o);
    int it = sgdIterations(o);
    int p = passes(o);
    String a = "n = " + z.n() + ", d = " + z.d();
    List<Row> rows = new ArrayList<>();

    Side stepA = new Side("adaspark", "adaspark step (Trainer: broadcast + StepTask + collect + combine + Adam), "
        + "mean s over " + s + " steps", (f, n) -> f.stepMean(f.a(), s));
    Side sgdA = new Side("anchor", "MLlib GradientDescent.runMiniBatchSGD (LogisticGradient, fraction B/n) s per "
        + "iteration, mean over " + it, (f, n) -> f.sgdIteration(f.a(), it));
    rows.add(new Row("1", "", "mini-batch step, B = " + z.batch() + ", Adam, " + a, "s", Goal.faster(2.5), stepA, sgdA,
        List.of(), "adaspark: Trainer.train of one Adam run for " + s + " steps, mean of (compute + optimizer) a step; "
            + "MLlib: one call of " + (1 + it) + " iterations timed by its jobs (treeAggregate at GradientDescent): "
            + "(end of the last - end of the first) / " + it));

    int it2 = Math.max(2, it / 4);
    rows.add(new Row("2", "", "mini-batch step, B = " + z.batch() + ", Adam, n = " + z.n2() + ", d = " + z.d2(), "s",
        Goal.faster(10),
        new Side("adaspark", "adaspark step, mean s over " + s + " steps", (f, n) -> f.stepMean(f.two(), s)),
        new Side("anchor", "MLlib runMiniBatchSGD s per iteration (fraction B/n), mean over " + it2,
            (f, n) -> f.sgdIteration(f.two(), it2)),
        List.of(), "as row 1 (MLlib: " + it2 + " iterations a round after the first)"));

    rows.add(new Row("3", "", "step overhead (" + a + ", B = " + z.batch() + ")", "s", Goal.within(1.3),
        new Side("adaspark", "adaspark step (Trainer, as row 1), mean s over " + s + " steps",
            (f, n) -> f.stepMean(f.a(), s)),
        new Side("anchor", "lean Spark floor: broadcast d doubles + SparkContext.runJob returning d doubles over the "
            + "same cached blocks + destroy (no closure cleaning, as adaspark's steps), mean s over " + s + " jobs; the "
            + "RDD.aggregate floor in the detail", (f, n) -> f.leanFloor(f.a().blocks(), z.d(), s)),
        List.of(new Side("aggregate_floor", "the same broadcast + RDD.aggregate (closure cleaning on every job) + "
            + "destroy, mean s over " + s + " jobs", (f, n) -> f.aggregateFloor(f.a().blocks(), z.d(), s))),
        "adaspark: " + s + " steps as row 1; floors: " + s + " jobs each; judged on the lean floor"));

    int sw = o.method().sweepSteps();
    for (int k : new int[] {8, 32}) {
      rows.add(new Row("4", "K = " + k, "sweep of K = " + k + " Adam configs, " + sw + " steps, fused (B = "
          + z.batch() + ")", "s", Goal.within(1.5),
          new Side("adaspark", "measured wall of the K-run cohort (Trainer.train, evaluations included), s",
              (f, n) -> wall(f, k, sw, n, "walls_s", "compute_plus_optimizer_s")),
          new Side("anchor", "measured wall of one config, same steps, s",
              (f, n) -> wall(f, 1, sw, n, "walls_k1_s", "compute_plus_optimizer_s_k1")),
          List.of(), "wall = System.nanoTime around Trainer.train of the cohort for " + sw + " steps (broadcasts, "
              + "distributed gradients, combines, every run's optimizer and the 2 evaluations, step 0 and the last); "
              + "the sum of the steps' compute and optimizer times in compute_plus_optimizer_s"));
    }

    int lr = lrIterations(o);
    Side passA = new Side("adaspark", "adaspark Trainer.fullObjective, mean s over " + p + " passes",
        (f, n) -> f.a().passes("lr", () -> new BinaryLogisticRegression(z.d(), 0.0)).mean(p));
    rows.add(new Row("5", "", "full-data gradient pass (" + a + ")", "s", Goal.faster(1.5), passA,
        new Side("anchor", "ml LogisticRegression s per iteration after setup (maxIter " + lr + ", tol 0)",
            (f, n) -> lrIteration(f, f.a(), lr, n)),
        List.of(), "adaspark: " + p + " passes; LogisticRegression: a fit with maxIter " + lr + ", tol 0, timed by "
            + "its loss-evaluation jobs (treeAggregate at RDDLossFunction): (end of the last - end of the first) / "
            + "iterations; its setup in lr_setup_s"));

    long mb = z.bandwidthBytes() >> 20;
    rows.add(new Row("6", "", "full-data gradient pass vs memory bandwidth (" + a + ")", "s", Goal.within(2.5), passA,
        new Side("anchor", "n·d·8 bytes ÷ measured bandwidth (sum over a " + mb + " MB array, 2 threads), mean over "
            + p + " sums", (f, n) -> bandwidthFloor(f, p, n)),
        List.of(), "adaspark: " + p + " passes; floor: " + p + " sums over the array split between 2 threads, "
            + "floor = n·d·8 × sum time / array bytes"));

    rows.add(new Row("7", "", "input → first step (Parquet file, " + a + ")", "s", Goal.within(0.5),
        new Side("adaspark", "adaspark DatasetLoader.load (read, validate, statistics, standardize, blocks) + first "
            + "Trainer step, s", (f, n) -> f.loadAndFirstStep(f.parquet())),
        new Side("anchor", "ml LogisticRegression setup before its first iteration, from the same file, s",
            (f, n) -> f.lrSetupFromFile(f.parquet())),
        List.of(), "both read the same Parquet file (label, features vector; " + z.partitions() + " part files) from "
            + "a collected heap; adaspark's time includes its first step and the 2 evaluations Trainer.train does "
            + "around it; LogisticRegression: read the file, fit (maxIter 3), setup = end of its first loss-evaluation "
            + "job - start of the read - one later loss evaluation (median)"));

    int mi = mlpIterations(o);
    rows.add(new Row("8", "", "MLP [" + z.d() + ", 64, 2] full-batch gradient iteration (n = " + z.n() + ")", "s",
        Goal.faster(1.2),
        new Side("adaspark", "adaspark Trainer.fullObjective (sigmoid hidden layer, softmax output), mean s over "
            + p + " passes", (f, n) -> f.a().passes("mlp", () -> new Mlp(new int[] {z.d(), 64, 2},
                new Activation[] {Activation.SIGMOID}, 0.0)).mean(p)),
        new Side("anchor", "ml MultilayerPerceptronClassifier (solver gd, blockSize 128) s per iteration after setup",
            (f, n) -> f.mlpIteration(f.a(), mi)),
        List.of(), "adaspark: " + p + " passes; MLP: a fit with maxIter " + mi + ", timed by its gd iterations' jobs "
            + "(treeAggregate at GradientDescent): (end of the last - end of the first) / " + (mi - 1)));

    rows.add(new Row("9", "", "cached bytes (" + a + ")", "bytes", Goal.within(1.02 * (z.d() + 1.0) / z.d()),
        new Side("adaspark", "Spark storage of adaspark's cached blocks (memory + disk), bytes",
            (f, n) -> f.storedBytes(f.a())),
        new Side("anchor", "raw n·d·8 bytes", (f, n) -> 8.0 * z.n() * z.d()),
        List.of(), "SparkContext.getRDDStorageInfo of the blocks RDD; goal 1.02 × (d+1)/d (labels are one more "
            + "column)"));

    String sp = "n = " + z.sparseN() + ", d = " + z.sparseD() + ", " + z.sparseNnz() + " non-zeros a row";
    rows.add(new Row("10", "step", "sparse step, B = " + z.batch() + " (" + sp + ")", "s", Goal.faster(2.5),
        new Side("adaspark", "adaspark step, mean s over " + s + " steps", (f, n) -> f.stepMean(f.sparse(), s)),
        new Side("anchor", "MLlib runMiniBatchSGD s per iteration (fraction B/n), mean over " + it,
            (f, n) -> f.sgdIteration(f.sparse(), it)),
        List.of(), "as row 1"));
    rows.add(new Row("10", "pass", "sparse full-data gradient pass (" + sp + ")", "s", Goal.faster(1.5),
        new Side("adaspark", "adaspark Trainer.fullObjective, mean s over " + p + " passes",
            (f, n) -> f.sparse().passes("lr", () -> new BinaryLogisticRegression(z.sparseD(), 0.0)).mean(p)),
        new Side("anchor", "ml LogisticRegression s per iteration after setup",
            (f, n) -> lrIteration(f, f.sparse(), lr, n)),
        List.of(), "as row 5"));
    return rows;
  }

  /** The rows with the given ids, in catalog order; unknown ids are refused naming the known ones. */
  static List<Row> select(List<Row> all, Set<String> ids) {
    Set<String> known = new LinkedHashSet<>();
    for (Row r : all) known.add(r.id());
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new IllegalArgumentException("no benchmark row " + id + " (rows are " + String.join(", ", known) + ")");
      }
    }
    return all.stream().filter(r -> ids.contains(r.id())).toList();
  }

  private static double wall(Fixture f, int k, int steps, Notes n, String wallKey, String sumKey) {
    Fixture.StepStats st = f.steps(f.a().prepared(), new BinaryLogisticRegression(f.sizes.d(), 0.0), f.sizes.batch(), k,
        0, steps);
    n.put(wallKey, st.measuredWallSeconds());
    n.put(sumKey, st.cohortWallSeconds());
    return st.measuredWallSeconds();
  }

  private static double lrIteration(Fixture f, Fixture.Data d, int maxIter, Notes n) {
    double[] t = f.lrFit(d.df(), maxIter);
    n.put("lr_setup_s", t[1]);
    return t[0];
  }

  private static double bandwidthFloor(Fixture f, int sums, Notes n) {
    Bandwidth bw = f.bandwidth();
    double total = 0;
    for (int i = 0; i < sums; i++) total += bw.sumSeconds();
    double sum = total / sums;
    n.put("bandwidth_gb_per_s", bw.bytes() / sum / 1e9);
    return 8.0 * f.sizes.n() * f.sizes.d() * sum / bw.bytes();
  }
}
