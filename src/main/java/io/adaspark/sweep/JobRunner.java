package io.adaspark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.config.Canonical;
import io.adaspark.config.JobFileException;
import io.adaspark.config.JobSpec;
import io.adaspark.config.RunSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.metrics.ExecutorLog;
import io.adaspark.metrics.JobOutput;
import io.adaspark.metrics.Manifest;
import io.adaspark.metrics.MetricsTables;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import io.adaspark.train.ConvexOptimum;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a whole job: plan the runs, load the data once, train, and write the three outputs
 * atomically.
 */
public final class JobRunner {
  private JobRunner() {}

  /** The runs of a job, each with its stable id; duplicates are an error. */
  public static List<PlannedRun> plan(JobSpec job) {
    List<PlannedRun> runs = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < job.optimizers().size(); i++) {
      RunSpec spec = job.optimizers().get(i);
      long seed = job.training().seed();
      String id = Canonical.runId(job, spec, seed);
      Integer before = seen.putIfAbsent(id, i);
      if (before != null) {
        throw new JobFileException(job.sourceName() + ": optimizers[" + i + "]: the same run as optimizers["
            + before + "] (identical configuration and seed)");
      }
      runs.add(new PlannedRun(id, spec, seed));
    }
    return runs;
  }

  /** Result of {@link #run}: where the outputs went and the runs. */
  public record Outcome(Path outputDir, List<RunResult> runs, PreparedData data) {}

  public static Outcome run(SparkSession spark, JobSpec job, PrintStream log) throws IOException {
    List<PlannedRun> runs = plan(job);
    Instant started = Instant.now();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExecutorLog executors = ExecutorLog.register(spark.sparkContext()); // executors lost / added, for the manifest
    PreparedData data;
    try {
      data = DatasetLoader.load(spark, job.data(), job.training().partitions());
    } catch (RuntimeException e) {
      executors.close();
      throw e;
    }
    try {
      log.printf("data: %d train rows, %d test rows, %d features, %d classes, %d partitions, %.1f MB cached%n",
          data.trainRows(), data.testRows(), data.numFeatures(), data.numClasses(), data.partitions(),
          data.cachedBytes() / 1e6);
      Model model = job.model().build(data.numFeatures(), data.numClasses());
      ConvexOptimum.Result optimum = null;
      if (job.optimum() != null) {
        Trainer probe = new Trainer(jsc, data, model, job.training(), null);
        optimum = ConvexOptimum.compute(spark, probe, data.train(), (LogRegConfig) job.model(), model,
            job.optimum().maxIter(), job.optimum().tol());
        log.printf("optimum: f* = %.17g (MLlib L-BFGS, %d iterations; adaspark gradient norm there %.3g)%n",
            optimum.fStar(), optimum.iterations(), optimum.gradNorm());
      }
      Trainer trainer = new Trainer(jsc, data, model, job.training(), msg -> log.println("progress: " + msg),
          optimum == null ? null : optimum.fStar());
      List<RunResult> results = trainer.train(runs);
      Instant finished = Instant.now();
      JobOutput out = new JobOutput(spark.sparkContext().hadoopConfiguration(), job.output(), job.name());
      try {
        MetricsTables.write(spark, job.name(), results, out);
        ObjectMapper pretty = Canonical.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = Manifest.build(pretty, job, spark.sparkContext(), data, results, optimum, started,
            finished);
        executors.describe((ObjectNode) manifest.get("cluster"));
        out.writeText("manifest.json", pretty.writeValueAsString(manifest) + "\n");
        out.commit();
      } catch (IOException | RuntimeException e) {
        out.abort();
        throw e;
      }
      return new Outcome(out.finalDir(), results, data);
    } finally {
      data.unpersist();
      executors.close();
    }
  }
}
