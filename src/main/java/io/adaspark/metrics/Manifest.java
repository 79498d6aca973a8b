package io.adaspark.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.config.JobSpec;
import io.adaspark.data.PreparedData;
import io.adaspark.train.ConvexOptimum;
import io.adaspark.train.RunResult;
import java.time.Instant;
import java.util.List;
import org.apache.spark.SparkContext;

/**
 * {@code manifest.json}: the job file as given, the versions, where it ran, the data
 * fingerprint and shape, and what was produced.
 */
public final class Manifest {
  private Manifest() {}

  public static String version() {
    String v = Manifest.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static ObjectNode build(ObjectMapper mapper, JobSpec job, SparkContext sc, PreparedData data,
                                 List<RunResult> runs, java.util.Map<?, ConvexOptimum.Result> optima,
                                 Instant started, Instant finished) {
    ObjectNode m = mapper.createObjectNode();
    m.put("adaspark_version", version());
    m.put("spark_version", sc.version());
    m.put("java_version", System.getProperty("java.version"));
    m.put("java_vendor", System.getProperty("java.vendor"));
    LinearAlgebra.describe(m.putObject("linear_algebra")); // MLlib's BLAS / LAPACK (JNI, VectorBLAS, ...)
    m.put("started_at", started.toString());
    m.put("finished_at", finished.toString());
    m.put("wall_seconds", (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0);
    ObjectNode cluster = m.putObject("cluster");
    cluster.put("master", sc.master());
    cluster.put("app_id", sc.applicationId());
    cluster.put("default_parallelism", sc.defaultParallelism());
    // Executors currently registered (the driver excluded outside local mode).
    int executors = sc.getExecutorMemoryStatus().size();
    cluster.put("executors", sc.isLocal() ? executors : Math.max(0, executors - 1));
    m.put("job_file", job.sourceName());
    JsonNode given;
    try {
      given = mapper.readTree(job.sourceText());
    } catch (Exception e) {
      given = mapper.getNodeFactory().textNode(job.sourceText());
    }
    m.set("job", given);
    ObjectNode d = m.putObject("data");
    d.put("path", data.fingerprint().path());
    d.put("format", data.fingerprint().format());
    d.put("bytes", data.fingerprint().bytes());
    d.put("files", data.fingerprint().files());
    d.put("rows", data.fingerprint().rows());
    d.put("hash", data.fingerprint().hash());
    d.put("train_rows", data.trainRows());
    d.put("test_rows", data.testRows());
    d.put("features", data.numFeatures());
    d.put("classes", data.numClasses());
    d.put("label_coding", data.labelCoding());
    d.put("density", data.density());
    d.put("partitions", data.partitions());
    d.put("cached_bytes", data.cachedBytes());
    d.put("layout", data.layout());
    d.put("standardized", data.std() != null);
    d.put("centred", data.mean() != null);
    if (data.details() != null) {
      for (java.util.Map.Entry<String, Object> e : data.details().entrySet()) d.set(e.getKey(), mapper.valueToTree(e.getValue()));
    }
    // f* of each model variant (a grid over l2 gives one optimum per variant): "optimum" is the
    // first model's, "optima" lists every model's when there are several.
    boolean first = true;
    ArrayNode all = optima.size() > 1 ? mapper.createArrayNode() : null;
    for (java.util.Map.Entry<?, ConvexOptimum.Result> e : optima.entrySet()) {
      ConvexOptimum.Result optimum = e.getValue();
      ObjectNode o = mapper.createObjectNode();
      if (all != null) o.set("model", mapper.valueToTree(e.getKey()));
      o.put("f_star", optimum.fStar());
      o.put("grad_norm", optimum.gradNorm());
      o.put("mllib_objective", optimum.mllibObjective());
      o.put("iterations", optimum.iterations());
      o.put("method", "MLlib LogisticRegression (L-BFGS), regParam = l2, standardization = false, "
          + "fitIntercept = true, on the same standardized training rows");
      ArrayNode t = o.putArray("theta");
      for (double v : optimum.theta()) t.add(v);
      if (first) m.set("optimum", o.deepCopy());
      first = false;
      if (all != null) all.add(o);
    }
    if (all != null) m.set("optima", all);
    ArrayNode r = m.putArray("runs");
    for (RunResult run : runs) {
      ObjectNode o = r.addObject();
      o.put("run_id", run.runId());
      o.put("optimizer", run.spec().optimizer().typeName());
      o.put("seed", run.seed());
      o.put("status", run.status());
      o.put("steps", run.stepsDone());
    }
    ObjectNode files = m.putObject("outputs");
    files.put("metrics", "metrics/");
    files.put("runs", "runs/");
    return m;
  }

  /**
   * What a sweep over model and training variants adds: {@code data.validation_rows} (with a
   * validation split), {@code optimum.variants} (every model variant with its own f*, as
   * canonical JSON, so that a grid over l2 shows each variant's optimum; {@code optimum.f_star}
   * stays the first variant's, for older readers), and {@code variants} (the model and training
   * variants of the job, as the {@code model} and {@code training} columns write them).
   */
  public static void describeVariants(ObjectNode m, JobSpec job, PreparedData data,
                                      java.util.Map<io.adaspark.model.ModelConfig, ConvexOptimum.Result> optima) {
    ObjectMapper om = io.adaspark.config.Canonical.mapper();
    if (data.validationRows() > 0 && m.get("data") instanceof ObjectNode d) {
      d.put("validation_rows", data.validationRows());
    }
    if (!optima.isEmpty() && m.get("optimum") instanceof ObjectNode o) {
      ArrayNode vs = o.putArray("variants");
      for (java.util.Map.Entry<io.adaspark.model.ModelConfig, ConvexOptimum.Result> e : optima.entrySet()) {
        ObjectNode v = vs.addObject();
        v.put("model", io.adaspark.config.Canonical.toJson(om.valueToTree(e.getKey())));
        v.put("f_star", e.getValue().fStar());
        v.put("grad_norm", e.getValue().gradNorm());
      }
    }
    ObjectNode variants = m.putObject("variants");
    ArrayNode models = variants.putArray("models");
    for (io.adaspark.model.ModelConfig mc : job.models()) {
      models.add(io.adaspark.config.Canonical.toJson(om.valueToTree(mc)));
    }
    ArrayNode trainings = variants.putArray("trainings");
    for (io.adaspark.train.TrainingSpec t : job.trainings()) {
      ObjectNode id = t.identity();
      id.remove("seed");
      trainings.add(io.adaspark.config.Canonical.toJson(id));
    }
  }
}
