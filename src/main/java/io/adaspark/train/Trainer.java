package io.adaspark.train;

import io.adaspark.config.TrainingSpec;
import io.adaspark.data.PreparedData;
import io.adaspark.model.BinaryScorer;
import io.adaspark.model.Model;
import io.adaspark.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel mini-batch training of a cohort of runs that share data, model shape and batch
 * sequence. Each step: broadcast the K live parameter vectors once; every partition computes the
 * K summed gradients of its share of the batch in one fused pass; the partial sums are combined
 * on the driver in partition order (so results never depend on timing or on the number of
 * executors); each run's own optimizer steps on the driver; the broadcast is destroyed.
 */
public final class Trainer {
  private final JavaSparkContext jsc;
  private final PreparedData data;
  private final Model model;
  private final TrainingSpec training;
  private final Consumer<String> progress;
  private final Double fStar;

  /** Test AUC is computed exactly on the driver up to this many (test rows × runs) scores. */
  static final long MAX_AUC_SCORES = 4_000_000L;

  public Trainer(JavaSparkContext jsc, PreparedData data, Model model, TrainingSpec training,
                 Consumer<String> progress) {
    this(jsc, data, model, training, progress, null);
  }

  /** @param fStar the optimum of a convex objective (for the suboptimality column), or null */
  public Trainer(JavaSparkContext jsc, PreparedData data, Model model, TrainingSpec training,
                 Consumer<String> progress, Double fStar) {
    this.jsc = jsc;
    this.data = data;
    this.model = model;
    this.training = training;
    this.progress = progress;
    this.fStar = fStar;
  }

  /** Mutable state of one run while its cohort trains. */
  private static final class Live {
    final PlannedRun plan;
    final double[] theta;
    final Optimizer optimizer;
    final List<MetricRow> rows = new ArrayList<>();
    String status = "running";
    String detail = "";
    long stepsDone;
    double wallMs;
    Double pendingLr;
    Double pendingBatchLoss;
    double pendingOptimizerMs;

    Live(PlannedRun plan, Model model) {
      this.plan = plan;
      this.theta = model.initialParameters(plan.seed());
      this.optimizer = plan.spec().optimizer().create(theta.length);
    }

    boolean live() {
      return status.equals("running");
    }

    /** The latest full training loss, or null before the first evaluation. */
    Double finalLoss() {
      for (int i = rows.size() - 1; i >= 0; i--) {
        if (rows.get(i).trainLoss() != null) return rows.get(i).trainLoss();
      }
      return null;
    }
  }

  /**
   * Trains the cohort; all runs must share the seed that drives the batch order ({@code runs}
   * may differ in everything else: optimizer, schedule, clipping, initial point seed is the same).
   */
  public List<RunResult> train(List<PlannedRun> runs) {
    long seed = runs.get(0).seed();
    for (PlannedRun r : runs) {
      if (r.seed() != seed) throw new IllegalArgumentException("a cohort shares one seed");
    }
    BatchSampler sampler = new BatchSampler(seed, data.partitionRows(), training.batchSize());
    List<Live> lives = new ArrayList<>();
    for (PlannedRun r : runs) lives.add(new Live(r, model));
    long steps = training.steps();
    long examples = 0;
    evaluate(lives, 0, 0, 0.0);
    for (long k = 0; k < steps; k++) {
      List<Live> active = lives.stream().filter(Live::live).toList();
      if (active.isEmpty()) break;
      long t0 = System.nanoTime();
      double[][] thetas = new double[active.size()][];
      for (int j = 0; j < thetas.length; j++) thetas[j] = active.get(j).theta;
      Broadcast<double[][]> bc = jsc.broadcast(thetas);
      Partial sum;
      try {
        sum = Partial.sumInOrder(data.train().mapPartitionsWithIndex(
            new StepTask(model, bc, sampler, k), false).collect());
      } finally {
        bc.destroy();
      }
      double computeMs = (System.nanoTime() - t0) / 1e6;
      examples += sum.count();
      long step = k + 1;
      for (int j = 0; j < active.size(); j++) {
        Live run = active.get(j);
        long o0 = System.nanoTime();
        double[] g = sum.grads()[j];
        double inv = 1.0 / sum.count();
        for (int i = 0; i < g.length; i++) g[i] *= inv;
        double loss = sum.losses()[j] * inv + model.penalty(run.theta, g);
        double lr = run.plan.spec().lr(k);
        run.pendingLr = lr;
        run.pendingBatchLoss = loss;
        if (!Double.isFinite(loss) || !allFinite(g)) {
          run.status = "diverged";
          run.detail = "non-finite " + (Double.isFinite(loss) ? "gradient" : "loss") + " at step " + step;
        } else {
          if (run.plan.spec().clip() != null) run.plan.spec().clip().apply(g);
          run.optimizer.step(run.theta, g, lr);
          run.stepsDone = step;
          if (!allFinite(run.theta)) {
            run.status = "diverged";
            run.detail = "non-finite parameters after step " + step;
          }
        }
        run.pendingOptimizerMs = (System.nanoTime() - o0) / 1e6;
        run.wallMs += computeMs + run.pendingOptimizerMs;
      }
      double epoch = (double) examples / data.trainRows();
      boolean evalNow = step % training.evalEvery() == 0 || step == steps;
      List<Live> toEvaluate = new ArrayList<>();
      for (Live run : active) {
        if (evalNow && run.live()) {
          toEvaluate.add(run);
        } else {
          // Between evaluations, or the step at which a run stopped: what it saw, no evaluation.
          run.rows.add(new MetricRow(step, epoch, examples, run.pendingLr, run.pendingBatchLoss,
              null, null, null, null, null, null, run.wallMs, computeMs, run.pendingOptimizerMs));
        }
      }
      evaluate(toEvaluate, step, examples, epoch, computeMs);
      if (progress != null && (step % Math.max(1, steps / 20) == 0 || step == steps)) {
        double best = lives.stream().map(r -> r.finalLoss()).filter(x -> x != null)
            .mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        progress.accept(String.format("step %d/%d  epoch %.2f  runs live %d/%d  best train loss %.6g",
            step, steps, epoch, lives.stream().filter(Live::live).count(), lives.size(), best));
      }
    }
    List<RunResult> results = new ArrayList<>();
    for (Live run : lives) {
      String status = run.live() ? "finished" : run.status;
      results.add(new RunResult(run.plan.runId(), run.plan.spec(), run.plan.seed(), status,
          run.stepsDone, run.detail, List.copyOf(run.rows), run.wallMs));
    }
    return results;
  }

  /**
   * The full training objective at {@code theta} (mean data loss plus penalty); its gradient is
   * written into {@code grad}. One distributed pass, partitions combined in order.
   */
  public double fullObjective(double[] theta, double[] grad) {
    Broadcast<double[][]> bc = jsc.broadcast(new double[][] {theta});
    Partial sum;
    try {
      sum = Partial.sumInOrder(run(data.train(), new EvalTask(model, bc, true)));
    } finally {
      bc.destroy();
    }
    double inv = 1.0 / sum.count();
    double[] g = sum.grads()[0];
    for (int i = 0; i < g.length; i++) grad[i] = g[i] * inv;
    return sum.losses()[0] * inv + model.penalty(theta, grad);
  }

  private void evaluate(List<Live> runs, long step, long examples, double epoch) {
    evaluate(runs, step, examples, epoch, 0.0);
  }

  /** Full train loss and gradient norm, test loss and accuracy, for the given runs. */
  private void evaluate(List<Live> runs, long step, long examples, double epoch, double computeMs) {
    if (runs.isEmpty()) return;
    double[][] thetas = new double[runs.size()][];
    for (int j = 0; j < thetas.length; j++) thetas[j] = runs.get(j).theta;
    Broadcast<double[][]> bc = jsc.broadcast(thetas);
    Partial train;
    Partial test;
    double[] auc;
    try {
      train = Partial.sumInOrder(run(data.train(), new EvalTask(model, bc, true)));
      test = data.testRows() == 0 ? null : Partial.sumInOrder(run(data.test(), new EvalTask(model, bc, false)));
      auc = testAuc(bc, runs.size());
    } finally {
      bc.destroy();
    }
    for (int j = 0; j < runs.size(); j++) {
      Live run = runs.get(j);
      double[] g = train.grads()[j];
      double inv = 1.0 / train.count();
      for (int i = 0; i < g.length; i++) g[i] *= inv;
      double trainLoss = train.losses()[j] * inv + model.penalty(run.theta, g);
      double norm = 0;
      for (double v : g) norm += v * v;
      norm = Math.sqrt(norm);
      Double testLoss = test == null ? null : test.losses()[j] / test.count() + model.penalty(run.theta, null);
      Double testAcc = test == null ? null : test.correct()[j] / test.count();
      Double lr = step == 0 ? null : run.pendingLr;
      Double batchLoss = step == 0 ? null : run.pendingBatchLoss;
      double optMs = step == 0 ? 0 : run.pendingOptimizerMs;
      Double testAuc = auc == null || Double.isNaN(auc[j]) ? null : auc[j];
      Double subopt = fStar == null ? null : trainLoss - fStar;
      run.rows.add(new MetricRow(step, epoch, examples, lr, batchLoss, trainLoss, testLoss, testAcc,
          testAuc, norm, subopt, run.wallMs, computeMs, optMs));
      if (!Double.isFinite(trainLoss)) {
        run.status = "diverged";
        run.detail = "non-finite training loss at step " + step;
      }
    }
  }

  /** Whether evaluations report test AUC: binary models, within the driver-side size cap. */
  public boolean reportsAuc(int runs) {
    return model instanceof BinaryScorer && model.numClasses() == 2 && data.testRows() > 0
        && data.testRows() * (long) runs <= MAX_AUC_SCORES;
  }

  /** Exact test AUC of each parameter vector (partitions concatenated in order), or null. */
  private double[] testAuc(Broadcast<double[][]> bc, int k) {
    if (!reportsAuc(k)) return null;
    List<ScoreTask.Scores> parts = data.test().mapPartitionsWithIndex(
        new ScoreTask((BinaryScorer) model, bc), false).collect();
    int n = (int) data.testRows();
    double[] labels = new double[n];
    double[][] scores = new double[k][n];
    int off = 0;
    for (ScoreTask.Scores p : parts.stream()
        .sorted(java.util.Comparator.comparingInt(ScoreTask.Scores::partition)).toList()) {
      int m = p.labels().length;
      System.arraycopy(p.labels(), 0, labels, off, m);
      for (int j = 0; j < k; j++) System.arraycopy(p.scores()[j], 0, scores[j], off, m);
      off += m;
    }
    double[] auc = new double[k];
    for (int j = 0; j < k; j++) auc[j] = Auc.of(scores[j], labels);
    return auc;
  }

  private static List<Partial> run(JavaRDD<io.adaspark.data.DataBlock> blocks, EvalTask task) {
    return blocks.mapPartitionsWithIndex(task, false).collect();
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) if (!Double.isFinite(x)) return false;
    return true;
  }
}
