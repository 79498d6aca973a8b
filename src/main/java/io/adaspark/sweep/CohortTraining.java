package io.adaspark.sweep;

import io.adaspark.data.PreparedData;
import io.adaspark.model.Model;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.ConvexOptimum;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains cohorts of a sweep and commits each that ends — the one place a plain sweep ({@link
 * JobRunner}) and a scheduler's segments ({@link RungSweep}) do it, so that both build a cohort's
 * {@link Trainer} alike (its model, training spec and f* from the cohort's first run, its
 * checkpoints in the work directory, the progress lines) and commit it alike ({@link
 * PartStore#commitCohort}: the rows to disk, the summaries kept).
 */
final class CohortTraining {
  private final JavaSparkContext jsc;
  private final PreparedData data;
  private final Map<ModelConfig, Model> models;
  private final Map<ModelConfig, ConvexOptimum.Result> optima;
  private final PartStore store;
  private final Progress progress;
  private final PrintStream log;
  private final long stopAfterStep;
  private final int parallelism;

  /**
   * @param stopAfterStep the test hook {@link Trainer#stopAfterStep} (−1: none)
   * @param parallelism the cohorts trained at once ({@code training.parallelism})
   */
  CohortTraining(JavaSparkContext jsc, PreparedData data, Map<ModelConfig, Model> models,
                 Map<ModelConfig, ConvexOptimum.Result> optima, PartStore store, Progress progress, PrintStream log,
                 long stopAfterStep, int parallelism) {
    this.jsc = jsc;
    this.data = data;
    this.models = models;
    this.optima = optima;
    this.store = store;
    this.progress = progress;
    this.log = log;
    this.stopAfterStep = stopAfterStep;
    this.parallelism = parallelism;
  }

  /**
   * Trains {@code cohorts} on a pool of {@code parallelism} threads ({@link #pool}) and commits
   * each cohort that ends. The result is in the order of {@code cohorts}: a cohort's committed
   * runs, or null where it paused at {@code rungs}' step ({@link Trainer.Paused}; only with
   * {@code rungs}, null for none). The futures are awaited in that order, so the first cohort (in
   * that order) that failed throws ({@link #await}); the pool is shut down either way.
   */
  List<List<CommittedRun>> train(List<SweepPlan.Cohort> cohorts, Trainer.Rungs rungs) throws IOException {
    ExecutorService pool = pool(parallelism);
    try {
      List<Future<List<CommittedRun>>> futures = new ArrayList<>();
      for (SweepPlan.Cohort c : cohorts) futures.add(pool.submit(() -> train(c, rungs)));
      List<List<CommittedRun>> results = new ArrayList<>();
      for (Future<List<CommittedRun>> f : futures) results.add(await(f));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One cohort: its Trainer built, trained (resuming its checkpoint), committed; null if it paused at a rung. */
  private List<CommittedRun> train(SweepPlan.Cohort c, Trainer.Rungs rungs) {
    PlannedRun first = c.runs().get(0);
    ConvexOptimum.Result optimum = optima.get(first.model());
    Trainer trainer = new Trainer(jsc, data, models.get(first.model()), first.training(),
        msg -> log.println("progress: cohort " + (c.index() + 1) + ": " + msg),
        optimum == null ? null : optimum.fStar());
    trainer.listener((step, steps, live, best) -> progress.step(c, step, steps, live, best))
        .checkpoints(store.checkpoints(c.id())).stopAfterStep(stopAfterStep).rungs(rungs);
    progress.start(c, trainer.totalSteps());
    try {
      List<RunResult> res = trainer.train(c.runs());
      List<CommittedRun> kept = store.commitCohort(c.id(), res); // rows to disk; keep summaries
      progress.finish(c, res);
      return kept;
    } catch (Trainer.Paused p) {
      return null;
    }
  }

  /**
   * The driver's pool for cohorts: {@code parallelism} daemon threads named {@code
   * adaspark-cohort} (daemon: a failed job's cohorts still running never keep the JVM alive).
   */
  private static ExecutorService pool(int parallelism) {
    return Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "adaspark-cohort");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The result of a cohort's future: its own exception rethrown as it was (a bad job file or data
   * stays exit 2), anything else checked as an IOException.
   */
  private static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new IOException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
