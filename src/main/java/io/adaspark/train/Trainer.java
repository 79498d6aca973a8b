package io.adaspark.train;

import io.adaspark.data.PreparedData;
import io.adaspark.model.Model;
import io.adaspark.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel mini-batch training of a cohort of runs that share data, model shape and batch
 * sequence. Each step: the {@link CohortObjective} broadcasts the K live parameter vectors once;
 * every partition computes the K summed gradients of its share of the batch in one fused pass;
 * the partial sums are combined in the fixed tree of {@code training.fan_in} over partition
 * indices (so results never depend on timing or on the number of executors); each run's own
 * optimizer steps on the driver; the broadcast is destroyed.
 *
 * <p>Two parameter points: a run's theta is its optimizer's gradient point (step gradients and the
 * batch loss are taken there); evaluations (train/test loss, accuracy, AUC, gradient norm,
 * suboptimality) are taken at {@link Optimizer#evaluationPoint} — the same vector for every
 * optimizer but Schedule-Free, whose model is the average x while gradients are taken at y.
 */
public final class Trainer {
  private final PreparedData data;
  private final Model model;
  private final TrainingSpec training;
  private final Consumer<String> progress;
  private final Double fStar;
  private final CohortObjective objective;

  public Trainer(JavaSparkContext jsc, PreparedData data, Model model, TrainingSpec training,
                 Consumer<String> progress) {
    this(jsc, data, model, training, progress, null);
  }

  /** @param fStar the optimum of a convex objective (for the suboptimality column), or null */
  public Trainer(JavaSparkContext jsc, PreparedData data, Model model, TrainingSpec training,
                 Consumer<String> progress, Double fStar) {
    this.data = data;
    this.model = model;
    this.training = training;
    this.progress = progress;
    this.fStar = fStar;
    this.objective = new CohortObjective(jsc, data, model, training.fanIn(), training.parallelism());
  }

  /** The cohort's objective (its sums over the data: steps, evaluations, full passes). */
  public CohortObjective objective() {
    return objective;
  }

  /** Called after every step of a cohort: the step, the cohort's steps, live runs, best train loss. */
  public interface Listener {
    void onStep(long step, long steps, int live, double bestLoss);
  }

  /** Thrown by the test hook {@link #stopAfterStep}: the cohort stopped as if the driver died. */
  public static final class Stopped extends RuntimeException {
    public Stopped(long step) {
      super("stopped after step " + step + " (test hook)");
    }
  }

  /**
   * A multi-fidelity scheduler's hold on the cohort (sweep/RungSweep): the cohort pauses at a
   * rung step (checkpoint, then {@link Paused}) until every configuration has reached it, and a
   * run whose configuration the rung dropped stops there (status {@code stopped}), leaving the
   * cohort as a diverged run does.
   */
  public interface Rungs {
    /** The step after which the cohort pauses, or −1 to train to the end. */
    long pauseAt();

    /** The status detail of a run stopped at {@code step} by a rung decision, or null. */
    String stoppedAt(String runId, long step);
  }

  /** Thrown when the cohort reaches {@link Rungs#pauseAt}: its checkpoint at that step is saved. */
  public static final class Paused extends RuntimeException {
    public Paused(long step) {
      super("paused at rung step " + step, null, false, false);
    }
  }

  private Listener listener;
  private CohortCheckpoint.Store checkpoints;
  private long stopAfterStep = -1;
  private java.util.function.BiConsumer<String, double[]> finalParameters;
  private double tol;

  private Rungs rungs;
  /** Internal status of a run stopped by a rung decision (reported as {@code stopped}). */
  private static final String RUNG_STOPPED = "rung-stopped";

  /** Lets a multi-fidelity scheduler pause the cohort at rungs and stop runs (needs {@link #checkpoints}). */
  public Trainer rungs(Rungs r) {
    this.rungs = r;
    return this;
  }

  /** Reports every step to {@code l}. */
  public Trainer listener(Listener l) {
    this.listener = l;
    return this;
  }

  /** Saves a checkpoint every {@code training.checkpoint_every} steps to {@code store}, and resumes from it. */
  public Trainer checkpoints(CohortCheckpoint.Store store) {
    this.checkpoints = store;
    return this;
  }

  /** Hands each run's final parameters (a copy, by run id) to {@code sink} when {@link #train} ends. */
  public Trainer finalParameters(java.util.function.BiConsumer<String, double[]> sink) {
    this.finalParameters = sink;
    return this;
  }

  /**
   * Stops a run (status {@code finished}, detail says why) once its full training objective
   * changes by at most {@code tol·max(1, |f|)} between two evaluations (MLlib's relative
   * convergence test, at evaluation granularity); 0 (the default) never stops.
   */
  public Trainer convergenceTol(double tol) {
    this.tol = tol;
    return this;
  }

  /** Test hook: throw {@link Stopped} right after step {@code step} (and its checkpoint, if any). */
  public Trainer stopAfterStep(long step) {
    this.stopAfterStep = step;
    return this;
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
    double initialLoss = Double.NaN;
    Long stepsToTarget;
    Double secondsToTarget;
    Double pendingLr;
    Double pendingBatchLoss;
    double pendingOptimizerMs;

    Live(PlannedRun plan, Model model) {
      this.plan = plan;
      this.theta = model.initialParameters(plan.seed());
      this.optimizer = plan.spec().optimizer().create(model.paramBlocks()); // LAMB/LARS/Adafactor work per block
    }

    boolean live() {
      return status.equals("running");
    }

    void diverge(String why) {
      status = "diverged";
      detail = why;
    }

    /** The latest full training loss, or null before the first evaluation. */
    Double finalLoss() {
      for (int i = rows.size() - 1; i >= 0; i--) {
        if (rows.get(i).trainLoss() != null) return rows.get(i).trainLoss();
      }
      return null;
    }

    CohortCheckpoint.RunState save() {
      return new CohortCheckpoint.RunState(plan.runId(), theta.clone(), optimizer.saveState(), status, detail,
          stepsDone, wallMs, List.copyOf(rows), initialLoss, stepsToTarget, secondsToTarget, pendingLr,
          pendingBatchLoss, pendingOptimizerMs);
    }

    void restore(CohortCheckpoint.RunState s) {
      System.arraycopy(s.theta(), 0, theta, 0, theta.length);
      optimizer.restoreState(s.optimizer());
      status = s.status();
      detail = s.detail();
      stepsDone = s.stepsDone();
      wallMs = s.wallMs();
      rows.clear();
      rows.addAll(s.rows());
      initialLoss = s.initialLoss();
      stepsToTarget = s.stepsToTarget();
      secondsToTarget = s.secondsToTarget();
      pendingLr = s.pendingLr();
      pendingBatchLoss = s.pendingBatchLoss();
      pendingOptimizerMs = s.pendingOptimizerMs();
    }
  }

  /** The steps of a run of this trainer's budget (steps, or epochs of the training rows). */
  public long totalSteps() {
    BatchSampler sampler = new BatchSampler(0, data.partitionRows(), training.batchSize());
    return training.resolveSteps(sampler.stepsPerEpoch());
  }

  /**
   * Trains the cohort; all runs must share the seed that drives the batch order ({@code runs}
   * may differ in everything else: optimizer, schedule, clipping; the initial point's seed is the
   * same). Each run's trajectory depends only on itself: a run that diverges or stops leaves the
   * cohort and the others continue exactly as they would without it.
   */
  public List<RunResult> train(List<PlannedRun> runs) {
    long seed = runs.get(0).seed();
    for (PlannedRun r : runs) {
      if (r.seed() != seed) throw new IllegalArgumentException("a cohort shares one seed");
    }
    BatchSampler sampler = new BatchSampler(seed, data.partitionRows(), training.batchSize());
    List<Live> lives = new ArrayList<>();
    for (PlannedRun r : runs) lives.add(new Live(r, model));
    long steps = training.resolveSteps(sampler.stepsPerEpoch());
    long evalEvery = training.resolveEvalEvery(steps);
    double wallCapMs = training.wallSeconds() * 1000.0;
    long examples = 0;
    long first = 0;
    CohortCheckpoint ckpt = checkpoints == null ? null : checkpoints.load();
    if (ckpt != null && ckpt.runs().stream().map(CohortCheckpoint.RunState::runId).toList()
        .equals(runs.stream().map(PlannedRun::runId).toList())) {
      for (int j = 0; j < lives.size(); j++) lives.get(j).restore(ckpt.runs().get(j));
      first = ckpt.step();
      examples = ckpt.examples();
      if (progress != null) progress.accept("resuming the cohort from its checkpoint at step " + first);
    } else {
      evaluate(lives, 0, 0, 0.0);
      for (Live run : lives) {
        Double l0 = run.rows.get(0).trainLoss();
        run.initialLoss = l0 == null ? Double.NaN : l0;
      }
    }
    if (rungs != null && first == rungs.pauseAt() && first < steps) throw new Paused(first);
    for (long k = first; k < steps; k++) {
      if (rungs != null) {
        for (Live run : lives) {
          String why = run.live() ? rungs.stoppedAt(run.plan.runId(), k) : null;
          if (why != null) {
            run.status = RUNG_STOPPED;
            run.detail = why;
          }
        }
      }
      List<Live> active = lives.stream().filter(Live::live).toList();
      if (active.isEmpty()) break;
      long t0 = System.nanoTime();
      double[][] thetas = new double[active.size()][];
      for (int j = 0; j < thetas.length; j++) thetas[j] = active.get(j).theta;
      CohortObjective.Result sum = objective.step(thetas, sampler, k);
      double computeMs = (System.nanoTime() - t0) / 1e6;
      examples += sum.count();
      long step = k + 1;
      List<Live> stopNow = new ArrayList<>();
      for (int j = 0; j < active.size(); j++) {
        Live run = active.get(j);
        long o0 = System.nanoTime();
        double[] g = sum.grads()[j];
        double loss = sum.losses()[j];
        double lr = run.plan.spec().lr(k);
        run.pendingLr = lr;
        run.pendingBatchLoss = loss;
        if (!Double.isFinite(loss) || !allFinite(g)) {
          run.diverge("non-finite " + (Double.isFinite(loss) ? "gradient" : "loss") + " at step " + step);
        } else if (tooLarge(run, loss)) {
          run.diverge(String.format("batch loss %.6g > %s x initial loss %.6g at step %d", loss,
              io.adaspark.check.Checks.show(training.divergenceFactor()), run.initialLoss, step));
        } else {
          if (run.plan.spec().clip() != null) run.plan.spec().clip().apply(g);
          run.optimizer.step(run.theta, g, lr);
          run.stepsDone = step;
          if (!allFinite(run.theta)) run.diverge("non-finite parameters after step " + step);
        }
        run.pendingOptimizerMs = (System.nanoTime() - o0) / 1e6;
        run.wallMs += computeMs + run.pendingOptimizerMs;
        if (run.live() && wallCapMs > 0 && run.wallMs >= wallCapMs && step < steps) stopNow.add(run);
      }
      double epoch = (double) examples / data.trainRows();
      boolean evalNow = step % evalEvery == 0 || step == steps;
      List<Live> toEvaluate = new ArrayList<>();
      for (Live run : active) {
        if ((evalNow || stopNow.contains(run)) && run.live()) {
          toEvaluate.add(run);
        } else {
          // Between evaluations, or the step at which a run stopped: what it saw, no evaluation.
          run.rows.add(new MetricRow(step, epoch, examples, run.pendingLr, run.pendingBatchLoss,
              null, null, null, null, null, null, run.wallMs, computeMs, run.pendingOptimizerMs));
        }
      }
      evaluate(toEvaluate, step, examples, epoch, computeMs);
      for (Live run : stopNow) {
        if (run.live()) {
          run.status = "stopped";
          run.detail = "wall-clock budget (" + training.wallSeconds() + " s) reached at step " + step;
        }
      }
      if (checkpoints != null && training.checkpointEvery() > 0 && step % training.checkpointEvery() == 0
          && step < steps) {
        checkpoints.save(new CohortCheckpoint(step, examples, lives.stream().map(Live::save).toList()));
      }
      if (step == stopAfterStep) throw new Stopped(step);
      if (listener != null) {
        double best = lives.stream().map(r -> r.finalLoss()).filter(x -> x != null && Double.isFinite(x))
            .mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        listener.onStep(step, steps, (int) lives.stream().filter(Live::live).count(), best);
      }
      if (rungs != null && step == rungs.pauseAt() && step < steps) {
        checkpoints.save(new CohortCheckpoint(step, examples, lives.stream().map(Live::save).toList()));
        throw new Paused(step);
      }
    }
    List<RunResult> results = new ArrayList<>();
    for (Live run : lives) {
      if (finalParameters != null) finalParameters.accept(run.plan.runId(), run.theta.clone());
      String status = run.status.equals("diverged") ? "diverged"
          : run.status.equals(RUNG_STOPPED) ? "stopped" : "finished";
      results.add(new RunResult(run.plan.runId(), run.plan.spec(), run.plan.seed(), status,
          run.stepsDone, run.detail, List.copyOf(run.rows), run.wallMs, run.stepsToTarget, run.secondsToTarget));
    }
    return results;
  }

  private boolean tooLarge(Live run, double loss) {
    return Double.isFinite(run.initialLoss) && loss > training.divergenceFactor() * Math.abs(run.initialLoss);
  }

  /**
   * The full training objective at {@code theta} (mean data loss plus penalty); its gradient is
   * written into {@code grad}. One distributed pass ({@link CohortObjective#value}).
   */
  public double fullObjective(double[] theta, double[] grad) {
    return objective.value(theta, grad);
  }

  private void evaluate(List<Live> runs, long step, long examples, double epoch) {
    evaluate(runs, step, examples, epoch, 0.0);
  }

  /** Full train loss and gradient norm, test loss and accuracy, for the given runs. */
  private void evaluate(List<Live> runs, long step, long examples, double epoch, double computeMs) {
    if (runs.isEmpty()) return;
    // Evaluate at each optimizer's evaluation point (Schedule-Free: x; every other: theta itself).
    double[][] thetas = new double[runs.size()][];
    for (int j = 0; j < thetas.length; j++) thetas[j] = runs.get(j).optimizer.evaluationPoint(runs.get(j).theta);
    CohortObjective.Evaluation e = objective.evaluate(thetas, true);
    CohortObjective.Result test = e.test();
    CohortObjective.Result validation = e.validation();
    double[] auc = e.auc();
    for (int j = 0; j < runs.size(); j++) {
      Live run = runs.get(j);
      double[] g = e.train().grads()[j];
      double trainLoss = e.train().losses()[j];
      double norm = 0;
      for (double v : g) norm += v * v;
      norm = Math.sqrt(norm);
      Double testLoss = test == null ? null : test.losses()[j];
      Double testAcc = test == null ? null : test.accuracy()[j];
      Double valLoss = validation == null ? null : validation.losses()[j];
      Double valAcc = validation == null ? null : validation.accuracy()[j];
      Double lr = step == 0 ? null : run.pendingLr;
      Double batchLoss = step == 0 ? null : run.pendingBatchLoss;
      double optMs = step == 0 ? 0 : run.pendingOptimizerMs;
      Double testAuc = auc == null || Double.isNaN(auc[j]) ? null : auc[j];
      Double subopt = fStar == null ? null : trainLoss - fStar;
      Double previous = run.finalLoss();
      run.rows.add(new MetricRow(step, epoch, examples, lr, batchLoss, trainLoss, testLoss, testAcc,
          testAuc, norm, subopt, run.wallMs, computeMs, optMs, valLoss, valAcc));
      if (!Double.isFinite(trainLoss)) {
        run.diverge("non-finite training loss at step " + step);
      } else if (step > 0 && tooLarge(run, trainLoss)) {
        run.diverge(String.format("train loss %.6g > %s x initial loss %.6g at step %d", trainLoss,
            io.adaspark.check.Checks.show(training.divergenceFactor()), run.initialLoss, step));
      } else if (training.targetLoss() != null && run.stepsToTarget == null && trainLoss <= training.targetLoss()) {
        run.stepsToTarget = step;
        run.secondsToTarget = run.wallMs / 1000.0;
        if (training.stopAtTarget() && step > 0) {
          run.status = "stopped";
          run.detail = "target loss " + training.targetLoss() + " reached at step " + step;
        }
      }
      if (tol > 0 && step > 0 && run.live() && previous != null
          && Math.abs(previous - trainLoss) <= tol * Math.max(1.0, Math.abs(trainLoss))) {
        run.status = "stopped";
        run.detail = "converged: train loss changed by at most tol " + tol + " (relative) at step " + step;
      }
    }
  }

  /** Whether evaluations report test AUC: binary models, within the driver-side size cap. */
  public boolean reportsAuc(int runs) {
    return objective.reportsAuc(runs);
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) if (!Double.isFinite(x)) return false;
    return true;
  }
}
