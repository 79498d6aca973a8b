package io.adaspark.train;

import io.adaspark.data.PreparedData;
import io.adaspark.model.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel mini-batch training of a cohort of runs that share data, model shape and batch
 * sequence. Each step: the {@link CohortObjective} broadcasts the K live parameter vectors once
 * (on CSR data, from the second step on, only their coordinates the step's rows read: {@link
 * CohortObjective#step}); every partition computes the K summed gradients of its share of the
 * batch in one fused pass; the partial sums are combined in the fixed tree of {@code
 * training.fan_in} over partition indices (so results never depend on timing or on the number
 * of executors); each run's own optimizer steps on the driver; the broadcast is destroyed.
 *
 * <p>Two parameter points: a run's theta is its optimizer's gradient point (step gradients and the
 * batch loss are taken there); evaluations (train/test loss, accuracy, AUC, gradient norm,
 * suboptimality) are taken at {@link io.adaspark.optim.Optimizer#evaluationPoint} — the same vector for every
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
    this.objective = new CohortObjective(jsc, data, model, training.fanIn(), training.parallelism())
        .reusingStepGradients();
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
    BatchSampler sampler = new BatchSampler(sharedSeed(runs), data.partitionRows(), training.batchSize());
    long steps = training.resolveSteps(sampler.stepsPerEpoch());
    long evalEvery = training.resolveEvalEvery(steps);
    StopRules rules = new StopRules(training, tol);
    List<RunState> states = runs.stream().map(r -> new RunState(r, model)).toList();
    CohortCheckpoint resumed = resume(states);
    long first = resumed == null ? 0 : resumed.step();
    long examples = resumed == null ? 0 : resumed.examples();
    if (resumed == null) evaluateInitialPoint(states, rules);
    if (rungs != null && first == rungs.pauseAt() && first < steps) throw new Paused(first);
    for (long k = first; k < steps; k++) {
      applyRungs(states, k);
      List<RunState> active = states.stream().filter(RunState::live).toList();
      if (active.isEmpty()) break;
      long t0 = System.nanoTime();
      CohortObjective.Result sum = objective.step(parameters(active), sampler, k);
      double computeMs = (System.nanoTime() - t0) / 1e6;
      examples += sum.count();
      long step = k + 1;
      List<RunState> outOfTime = new ArrayList<>();
      for (int j = 0; j < active.size(); j++) {
        RunState run = active.get(j);
        stepRun(run, sum.grads()[j], sum.losses()[j], k, computeMs, rules);
        if (rules.outOfTime(run, step, steps)) outOfTime.add(run);
      }
      MetricRow.Position at = new MetricRow.Position(step, (double) examples / data.trainRows(), examples, computeMs);
      boolean evalNow = step % evalEvery == 0 || step == steps;
      List<RunState> toEvaluate = new ArrayList<>();
      for (RunState run : active) {
        if ((evalNow || outOfTime.contains(run)) && run.live()) toEvaluate.add(run);
        else run.rows.add(MetricRow.stepOnly(at, run.lastStep, run.wallMs));
      }
      evaluate(toEvaluate, at, rules);
      for (RunState run : outOfTime) rules.stopForTime(run, step);
      afterStep(states, step, steps, examples);
    }
    List<RunResult> results = new ArrayList<>();
    for (RunState run : states) {
      if (finalParameters != null) finalParameters.accept(run.plan.runId(), run.theta.clone());
      results.add(run.result());
    }
    return results;
  }

  private static long sharedSeed(List<PlannedRun> runs) {
    long seed = runs.get(0).seed();
    for (PlannedRun r : runs) {
      if (r.seed() != seed) throw new IllegalArgumentException("a cohort shares one seed");
    }
    return seed;
  }

  /** Restores the runs from the cohort's checkpoint when it holds exactly these runs; the checkpoint or null. */
  private CohortCheckpoint resume(List<RunState> states) {
    CohortCheckpoint ckpt = checkpoints == null ? null : checkpoints.load();
    if (ckpt == null || !ckpt.runs().stream().map(CohortCheckpoint.RunState::runId).toList()
        .equals(states.stream().map(r -> r.plan.runId()).toList())) {
      return null;
    }
    for (int j = 0; j < states.size(); j++) states.get(j).restore(ckpt.runs().get(j));
    if (progress != null) progress.accept("resuming the cohort from its checkpoint at step " + ckpt.step());
    return ckpt;
  }

  /** Row 0 of every run, whose train loss is the run's initial loss (the divergence rule's scale). */
  private void evaluateInitialPoint(List<RunState> states, StopRules rules) {
    evaluate(states, new MetricRow.Position(0, 0.0, 0, 0.0), rules);
    for (RunState run : states) {
      Double l0 = run.rows.get(0).trainLoss();
      run.initialLoss = l0 == null ? Double.NaN : l0;
    }
  }

  /** Stops the live runs whose configuration a rung decision dropped before step {@code k}. */
  private void applyRungs(List<RunState> states, long k) {
    if (rungs == null) return;
    for (RunState run : states) {
      String why = run.live() ? rungs.stoppedAt(run.plan.runId(), k) : null;
      if (why != null) run.stop(RunState.Status.RUNG_STOPPED, why);
    }
  }

  private static double[][] parameters(List<RunState> active) {
    double[][] thetas = new double[active.size()][];
    for (int j = 0; j < thetas.length; j++) thetas[j] = active.get(j).theta;
    return thetas;
  }

  /** One run's step k on the driver: divergence checks, clipping, the optimizer's update, its time. */
  private void stepRun(RunState run, double[] g, double loss, long k, double computeMs, StopRules rules) {
    long o0 = System.nanoTime();
    long step = k + 1;
    double lr = run.plan.spec().lr(k);
    if (rules.mayStep(run, loss, g, step)) {
      if (run.plan.spec().clip() != null) run.plan.spec().clip().apply(g);
      run.optimizer.step(run.theta, g, lr);
      run.stepsDone = step;
      rules.afterStep(run, step);
    }
    double optimizerMs = (System.nanoTime() - o0) / 1e6;
    run.lastStep = new MetricRow.StepTaken(lr, loss, optimizerMs);
    run.wallMs += computeMs + optimizerMs;
  }

  /** After a step: the checkpoint, the test hook, the listener, and a rung's pause. */
  private void afterStep(List<RunState> states, long step, long steps, long examples) {
    if (checkpoints != null && training.checkpointEvery() > 0 && step % training.checkpointEvery() == 0
        && step < steps) {
      checkpoints.save(new CohortCheckpoint(step, examples, states.stream().map(RunState::save).toList()));
    }
    if (step == stopAfterStep) throw new Stopped(step);
    if (listener != null) {
      double best = states.stream().map(RunState::finalLoss).filter(x -> x != null && Double.isFinite(x))
          .mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      listener.onStep(step, steps, (int) states.stream().filter(RunState::live).count(), best);
    }
    if (rungs != null && step == rungs.pauseAt() && step < steps) {
      checkpoints.save(new CohortCheckpoint(step, examples, states.stream().map(RunState::save).toList()));
      throw new Paused(step);
    }
  }

  /**
   * The full training objective at {@code theta} (mean data loss plus penalty); its gradient is
   * written into {@code grad}. One distributed pass ({@link CohortObjective#value}).
   */
  public double fullObjective(double[] theta, double[] grad) {
    return objective.value(theta, grad);
  }

  /**
   * Full train loss and gradient norm, test and validation loss and accuracy (and AUC) of the
   * given runs at their optimizers' evaluation points (Schedule-Free: x; every other: theta), then
   * the rules that follow an evaluation.
   */
  private void evaluate(List<RunState> runs, MetricRow.Position at, StopRules rules) {
    if (runs.isEmpty()) return;
    double[][] points = new double[runs.size()][];
    for (int j = 0; j < points.length; j++) points[j] = runs.get(j).optimizer.evaluationPoint(runs.get(j).theta);
    CohortObjective.Evaluation e = objective.evaluate(points, true);
    for (int j = 0; j < runs.size(); j++) {
      RunState run = runs.get(j);
      Double previous = run.finalLoss();
      MetricRow row = MetricRow.evaluated(at, run.lastStep, run.wallMs, e, j, fStar);
      run.rows.add(row);
      rules.afterEvaluation(run, row.trainLoss(), previous, at.step());
    }
  }

  /** Whether evaluations report test AUC: binary models, within the driver-side size cap. */
  public boolean reportsAuc(int runs) {
    return objective.reportsAuc(runs);
  }
}
