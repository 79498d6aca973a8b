package io.adaspark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.config.Canonical;
import io.adaspark.config.JobSpec;
import io.adaspark.train.TrainingSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.metrics.ExecutorLog;
import io.adaspark.metrics.JobOutput;
import io.adaspark.metrics.Manifest;
import io.adaspark.metrics.CohortParts;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.CohortObjective;
import io.adaspark.train.ConvexOptimum;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a whole sweep in three phases: prepare (the {@link SweepPlan}'s runs, the data loaded once,
 * the models, f*, the cohorts), train (the cohorts on a driver thread pool of {@code
 * training.parallelism}, each finished cohort committed atomically to the work directory, resume
 * reusing them) and write (the tables, the manifest, committed atomically).
 */
public final class JobRunner {
  private JobRunner() {}

  /** How to run: {@code resume} reuses committed cohorts and checkpoints; the rest are test hooks. */
  public record Options(boolean resume, long stopAfterStep) {
    public static final Options DEFAULT = new Options(false, -1);

    public static Options resuming() {
      return new Options(true, -1);
    }
  }


  /**
   * Result of {@link #run}: where the outputs went, the runs' summaries (plan order; a summary's
   * {@code rows} hold only its final evaluation row — every row is in {@code metrics/}), and how
   * many were reused.
   */
  public record Outcome(Path outputDir, List<RunResult> runs, PreparedData data, int reused, int cohorts) {}

  public static Outcome run(SparkSession spark, JobSpec job, PrintStream log) throws IOException {
    return run(spark, job, log, Options.DEFAULT);
  }

  /**
   * Runs a job in three phases, each readable alone: {@link #prepare} (plan, data, models, the
   * driver's budget, f*, cohorts), {@link #train} (the cohorts, committed one by one, resumed
   * from what a previous attempt committed) and {@link #write} (tables, manifest, commit). Here:
   * the plan, the output and work directories, what was committed before (with {@code resume}),
   * and the data.
   */
  public static Outcome run(SparkSession spark, JobSpec job, PrintStream log, Options options) throws IOException {
    List<PlannedRun> runs = SweepPlan.plan(job);
    Instant started = Instant.now();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JobOutput out = new JobOutput(spark.sparkContext().hadoopConfiguration(), job.output(), job.name());
    FileSystem fs = out.finalDir().getFileSystem(spark.sparkContext().hadoopConfiguration());
    PartStore store = new PartStore(fs, new Path(out.finalDir().getParent(), "." + job.name() + ".work"));
    Map<String, CommittedRun> done = new HashMap<>(); // summaries only: the rows are in the parts
    if (options.resume()) {
      done.putAll(PartStore.committed(fs, new Path(out.finalDir(), "parts")));
      done.putAll(store.committed());
    } else {
      store.clear();
    }
    done.keySet().retainAll(runs.stream().map(PlannedRun::runId).toList());
    ExecutorLog executors = ExecutorLog.register(spark.sparkContext()); // executors lost / added, for the manifest
    PreparedData data;
    try {
      data = DatasetLoader.load(spark, job.data(), job.training().partitions());
    } catch (RuntimeException e) {
      executors.close();
      throw e;
    }
    try {
      Prepared prepared = prepare(spark, jsc, job, runs, done, data, log);
      Trained trained = train(jsc, job, runs, prepared, done, store, log, options);
      return write(spark, job, prepared, trained, done, store, out, executors, started);
    } finally {
      data.unpersist();
      executors.close();
    }
  }

  /**
   * What the prepare phase settles before any training: the models and their sizes, the runs
   * still to train, the driver's budget checked (a run that cannot fit is refused here), the
   * exact optima, the cohorts and each run's identity columns.
   */
  private record Prepared(PreparedData data, Map<ModelConfig, Model> models, Map<ModelConfig, ConvexOptimum.Result> optima,
                          List<PlannedRun> todo, List<SweepPlan.Cohort> cohorts,
                          Map<String, io.adaspark.metrics.RunIdentity> identities) {}

  /** What the train phase leaves: every run's committed summary (plan order), and the scheduler if any. */
  private record Trained(List<CommittedRun> committed, RungSweep rungSweep) {}

  /** Phase 1: models, budget, optima, cohorts (the data is loaded). */
  private static Prepared prepare(SparkSession spark, JavaSparkContext jsc, JobSpec job, List<PlannedRun> runs,
                                  Map<String, CommittedRun> done, PreparedData data, PrintStream log) {
    log.printf("data: %d train rows, %d test rows, %d features, %d classes, %d partitions, %.1f MB cached%n",
        data.trainRows(), data.testRows(), data.numFeatures(), data.numClasses(), data.partitions(),
        data.cachedBytes() / 1e6);
    Map<ModelConfig, Model> models = new LinkedHashMap<>();
    Map<ModelConfig, Integer> sizes = new HashMap<>();
    Map<ModelConfig, ConvexOptimum.Result> optima = new HashMap<>();
    for (ModelConfig mc : job.models()) {
      Model m = mc.build(data.numFeatures(), data.numClasses());
      models.put(mc, m);
      sizes.put(mc, m.numParams());
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    List<PlannedRun> todo = runs.stream().filter(r -> !done.containsKey(r.runId())).toList();
    DriverBudget.checkFits(job.sourceName(), todo, sizes, data.trainRows(), job.training().parallelism(), maxHeap);
    DriverBudget.checkPassFits(job.sourceName(), todo, sizes, data.partitions(), job.training().parallelism(),
        jsc.defaultParallelism(), jsc.isLocal(), maxHeap);
    for (ModelConfig mc : job.models()) {
      Model m = models.get(mc);
      if (job.optimum() != null) {
        ConvexOptimum.Result o = ConvexOptimum.compute(spark,
            new CohortObjective(jsc, data, m, job.training().fanIn()), data.train(), (LogRegConfig) mc,
            job.optimum().maxIter(), job.optimum().tol());
        log.printf("optimum: f* = %.17g (MLlib L-BFGS, %d iterations; adaspark gradient norm there %.3g)%s%n",
            o.fStar(), o.iterations(), o.gradNorm(), job.models().size() > 1 ? " for model " + mc : "");
        optima.put(mc, o);
      }
    }
    List<SweepPlan.Cohort> cohorts = SweepPlan.cohorts(todo, sizes, data.trainRows(), maxHeap);
    Map<String, io.adaspark.metrics.RunIdentity> identities = new HashMap<>();
    for (PlannedRun r : runs) {
      ConvexOptimum.Result o = optima.get(r.model());
      identities.put(r.runId(), io.adaspark.metrics.RunIdentity.of(r, o == null ? null : o.fStar()));
    }
    return new Prepared(data, models, optima, todo, cohorts, identities);
  }

  /** Phase 2: trains the cohorts (or the scheduler's segments), each committed as it ends; resumes what was. */
  private static Trained train(JavaSparkContext jsc, JobSpec job, List<PlannedRun> runs, Prepared p,
                               Map<String, CommittedRun> done, PartStore store, PrintStream log, Options options)
      throws IOException {
    Progress progress = new Progress(log, runs.size(), done.values().stream().map(CommittedRun::summary).toList(),
        p.cohorts());
    if (!done.isEmpty()) log.printf("resume: %d of %d runs already committed%n", done.size(), runs.size());
    log.printf("sweep: %d runs to train in %d cohorts (parallelism %d)%n", p.todo().size(), p.cohorts().size(),
        job.training().parallelism());
    RungSweep rungSweep = job.scheduler() == null ? null : new RungSweep(job, runs, store, options.resume());
    // each committed cohort's rows go to a part; the summaries keep the rows the rung decisions need
    store.rows(job.name(), p.identities(),
        rungSweep == null ? java.util.Set.of() : java.util.Set.copyOf(rungSweep.rungSteps()));
    CohortTraining training = new CohortTraining(jsc, p.data(), p.models(), p.optima(), store, progress, log,
        options.stopAfterStep(), job.training().parallelism());
    Map<String, CommittedRun> trained = new HashMap<>();
    if (rungSweep != null) {
      trained.putAll(rungSweep.trainAll(training, p.cohorts(), done, log));
    } else {
      for (List<CommittedRun> cohort : training.train(p.cohorts(), null)) {
        for (CommittedRun r : cohort) trained.put(r.runId(), r);
      }
    }
    List<CommittedRun> committed = new ArrayList<>();
    for (PlannedRun r : runs) {
      committed.add(done.containsKey(r.runId()) ? done.get(r.runId()) : trained.get(r.runId()));
    }
    return new Trained(committed, rungSweep);
  }

  /** Phase 3: the tables from the parts, the manifest, the parts for --resume; commits the output. */
  private static Outcome write(SparkSession spark, JobSpec job, Prepared p, Trained t, Map<String, CommittedRun> done,
                               PartStore store, JobOutput out, ExecutorLog executors, Instant started)
      throws IOException {
    List<RunResult> results = t.committed().stream().map(CommittedRun::summary).toList();
    Map<ModelConfig, ConvexOptimum.Result> optimaInOrder = new LinkedHashMap<>();
    for (ModelConfig mc : job.models()) if (p.optima().containsKey(mc)) optimaInOrder.put(mc, p.optima().get(mc));
    Instant finished = Instant.now();
    try {
      CohortParts.writeTables(spark, t.committed().stream().map(CommittedRun::source).toList(), out);
      ObjectMapper pretty = Canonical.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
      var manifest = Manifest.build(pretty, job, spark.sparkContext(), p.data(), results, optimaInOrder, started,
          finished);
      Manifest.describeVariants(manifest, job, p.data(), optimaInOrder);
      manifest.put("resumed_runs", done.size());
      manifest.put("cohorts", p.cohorts().size());
      if (t.rungSweep() != null) manifest.set("scheduler", t.rungSweep().describe(pretty, results));
      executors.describe((ObjectNode) manifest.get("cluster"));
      out.writeText("manifest.json", pretty.writeValueAsString(manifest) + "\n");
      store.publish(new Path(out.tmpDir(), "parts"), t.committed());
      out.commit();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    }
    store.clear();
    return new Outcome(out.finalDir(), results, p.data(), done.size(), p.cohorts().size());
  }
}
