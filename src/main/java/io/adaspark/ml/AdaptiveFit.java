package io.adaspark.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.config.Canonical;
import io.adaspark.check.JobFileException;
import io.adaspark.config.JobLoader;
import io.adaspark.train.RunSpec;
import io.adaspark.train.TrainingSpec;
import io.adaspark.data.FrameLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.model.Activation;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.MlpConfig;
import io.adaspark.model.Model;
import io.adaspark.model.ModelConfig;
import io.adaspark.optim.GradientClipping;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.schedule.LrSchedule;
import io.adaspark.sweep.JobRunner;
import io.adaspark.sweep.SweepPlan;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;

/**
 * How the adaptive estimators train: each estimator (one param map) is resolved into the parts
 * of a job file — data columns and partitions, a {@link ModelConfig}, a {@link TrainingSpec},
 * one {@link RunSpec} — validated by the job file's own records and strict loader; the
 * DataFrame is loaded once per (label, features, partitions) into adaspark's cached blocks
 * ({@link FrameLoader}); the runs that share model, training variant and seed are grouped into
 * fused cohorts exactly as a sweep groups them ({@link JobRunner#cohorts}, within the cohort
 * memory budget) and each cohort is trained by one {@link Trainer}. Identical configurations
 * (same run id) are trained once. Since the fused kernels give each run the bits it would have
 * alone, {@code fitMultiple} and one {@code fit} per param map give identical models.
 */
final class AdaptiveFit {
  private AdaptiveFit() {}

  private static final ObjectMapper STRICT = JobLoader.strictMapper();

  /** One estimator's configuration, resolved and validated. */
  record Config(String labelCol, String featuresCol, int partitions, ModelConfig model, String family,
                int[] layers, TrainingSpec training, double tol, RunSpec run) {
    String dataKey() {
      return labelCol + "\u0000" + featuresCol + "\u0000" + partitions;
    }
  }

  /** What one param map's fit produced: the data's shape, the final parameters and the run. */
  record Fitted(int numFeatures, int numClasses, Model model, double[] theta, RunResult result) {}

  /** Resolves an estimator's Params; a bad value is an IllegalArgumentException naming the Param. */
  static Config resolve(AdaptiveParams p, boolean mlp, String labelCol, String featuresCol) {
    String who = p.uid();
    int maxIter = p.getMaxIter();
    if (maxIter < 1) throw bad(who, "maxIter", maxIter, "expected an integer >= 1 (optimizer steps)");
    double reg = p.getRegParam();
    if (!(reg >= 0) || !Double.isFinite(reg)) throw bad(who, "regParam", reg, "expected a finite number >= 0");
    double tol = p.getTol();
    if (!(tol >= 0) || !Double.isFinite(tol)) throw bad(who, "tol", tol, "expected a finite number >= 0");
    int batch = p.getBatchSize();
    if (batch < 1) throw bad(who, "batchSize", batch, "expected an integer >= 1");
    int parts = p.getNumPartitions();
    if (parts < 1) throw bad(who, "numPartitions", parts, "expected an integer >= 1");
    int evalEvery = p.getEvalEvery();
    if (evalEvery < 0) throw bad(who, "evalEvery", evalEvery, "expected an integer >= 0 (0: maxIter/20)");
    TrainingSpec training = TrainingSpec.fromJson(batch, (long) maxIter, null, evalEvery == 0 ? null : (long) evalEvery,
        p.getSeed(), null, parts, null, null, null, null, null, null, null, null);
    ModelConfig model;
    String family = null;
    int[] layers = null;
    if (mlp) {
      if (!p.isDefined(p.getParam("layers"))) {
        throw new IllegalArgumentException(who + " parameter layers is not set: expected [features, hidden..., classes]");
      }
      layers = (int[]) p.getOrDefault(p.getParam("layers"));
      if (layers.length < 3) {
        throw bad(who, "layers", java.util.Arrays.toString(layers),
            "expected [features, hidden..., classes] with at least one hidden layer (for none use AdaptiveLogisticRegression)");
      }
      List<Integer> hidden = new ArrayList<>();
      for (int i = 0; i < layers.length; i++) {
        if (layers[i] < 1) throw bad(who, "layers", java.util.Arrays.toString(layers), "expected sizes >= 1");
        if (i > 0 && i < layers.length - 1) hidden.add(layers[i]);
      }
      String act = (String) p.getOrDefault(p.getParam("activation"));
      Activation a;
      try {
        a = Activation.parse("mlp", "activation", act);
      } catch (RuntimeException e) {
        throw bad(who, "activation", '"' + act + '"', "expected one of sigmoid, tanh, relu");
      }
      model = new MlpConfig(hidden, java.util.Collections.nCopies(hidden.size(), a), reg);
    } else {
      family = (String) p.getOrDefault(p.getParam("family"));
      if (!List.of("auto", "binomial", "multinomial").contains(family)) {
        throw bad(who, "family", '"' + family + '"', "expected one of auto, binomial, multinomial");
      }
      model = new LogRegConfig(reg, family.equals("multinomial"));
    }
    return new Config(labelCol, featuresCol, parts, model, family, layers, training, tol, runSpec(p));
  }

  /**
   * The optimizer entry {@code {"type": optimizer, "lr": learningRate, ...optimizerParams,
   * "schedule": schedule, "clip": clip}}, bound by the job file's strict loader: errors read
   * like a job file's, with the Param as the path ({@code optimizerParams.betas[1]: expected a
   * number in [0, 1), got 1.5 (adam)}).
   */
  static RunSpec runSpec(AdaptiveParams p) {
    String who = p.uid();
    String type = p.getOptimizer();
    List<String> known = JobLoader.typeNames(OptimizerConfig.class);
    if (type == null || !known.contains(type)) {
      throw bad(who, "optimizer", type == null ? "null" : '"' + type + '"',
          "expected one of " + String.join(", ", known));
    }
    double lr = p.getLearningRate();
    if (!(lr > 0) || !Double.isFinite(lr)) throw bad(who, "learningRate", lr, "expected a finite number > 0 (" + type + ")");
    ObjectNode entry = Canonical.mapper().createObjectNode();
    entry.put("type", type);
    entry.put("lr", lr);
    JsonNode extra = json(who, "optimizerParams", p.getOptimizerParams());
    if (extra != null) {
      if (!extra.isObject()) throw bad(who, "optimizerParams", extra, "expected a JSON object");
      for (String reserved : List.of("type", "lr", "schedule", "clip")) {
        if (extra.has(reserved)) {
          String param = switch (reserved) {
            case "type" -> "optimizer";
            case "lr" -> "learningRate";
            default -> reserved;
          };
          throw bad(who, "optimizerParams", extra, "\"" + reserved + "\" is set by the Param " + param + ", not here");
        }
      }
      entry.setAll((ObjectNode) extra);
    }
    OptimizerConfig oc;
    LrSchedule ls = null;
    GradientClipping gc = null;
    try {
      oc = JobLoader.bind(entry, OptimizerConfig.class, who, "optimizerParams");
      JsonNode s = json(who, "schedule", p.getSchedule());
      if (s != null) ls = JobLoader.bind(s, LrSchedule.class, who, "schedule");
      JsonNode c = json(who, "clip", p.getClip());
      if (c != null) gc = JobLoader.bind(c, GradientClipping.class, who, "clip");
    } catch (JobFileException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new RunSpec(oc, ls, gc, "");
  }

  /** A JSON Param's value, or null when empty. */
  private static JsonNode json(String who, String param, String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException(who + ": " + param + ": invalid JSON" + where + ": " + e.getOriginalMessage()
          + " (got " + text + ")");
    }
  }

  /** MLlib's wording ({@code uid parameter name given invalid value v}) and what was expected. */
  static IllegalArgumentException bad(String who, String param, Object value, String expected) {
    return new IllegalArgumentException(who + " parameter " + param + " given invalid value " + value + ": " + expected);
  }

  /**
   * Trains every configuration on {@code df}; the results are in the order of {@code configs}.
   * Configurations sharing data columns and partitions share one load of the data; those
   * sharing model, training variant and seed train as fused cohorts.
   */
  static List<Fitted> fit(Dataset<?> df, List<Config> configs) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    List<Fitted> out = new ArrayList<>(java.util.Collections.nCopies(configs.size(), null));
    Map<String, List<Integer>> byData = new LinkedHashMap<>();
    for (int i = 0; i < configs.size(); i++) byData.computeIfAbsent(configs.get(i).dataKey(), k -> new ArrayList<>()).add(i);
    for (List<Integer> group : byData.values()) {
      Config first = configs.get(group.get(0));
      PreparedData data = FrameLoader.load(df, first.labelCol(), first.featuresCol(), first.partitions());
      try {
        trainOn(jsc, data, configs, group, out);
      } finally {
        data.unpersist();
      }
    }
    return out;
  }

  private static void trainOn(JavaSparkContext jsc, PreparedData data, List<Config> configs, List<Integer> group,
                              List<Fitted> out) {
    int d = data.numFeatures();
    int k = data.numClasses();
    FrameLoader.FrameSpec spec = new FrameLoader.FrameSpec(configs.get(group.get(0)).labelCol(),
        configs.get(group.get(0)).featuresCol());
    Map<String, Integer> idOf = new HashMap<>();
    Map<String, PlannedRun> unique = new LinkedHashMap<>();
    Map<String, Double> tolOf = new HashMap<>();
    Map<ModelConfig, Model> models = new HashMap<>();
    Map<ModelConfig, Integer> sizes = new HashMap<>();
    String[] ids = new String[configs.size()];
    for (int i : group) {
      Config c = configs.get(i);
      check(c, d, k);
      Model m = models.computeIfAbsent(c.model(), mc -> mc.build(d, k));
      sizes.put(c.model(), m.numParams());
      long seed = c.training().seed();
      String id = Canonical.runId(spec, c.model(), c.training(), c.run(), seed)
          + (c.tol() == 0 ? "" : "-tol" + c.tol());
      ids[i] = id;
      idOf.putIfAbsent(id, i);
      unique.putIfAbsent(id, new PlannedRun(id, c.run(), seed, c.model(), c.training()));
      tolOf.put(id, c.tol());
    }
    // Fused cohorts as a sweep makes them (model, training variant, seed; memory budget), and
    // within each, one per tol (the convergence test is the trainer's, for a whole cohort).
    Map<String, RunResult> results = new HashMap<>();
    Map<String, double[]> thetas = new java.util.concurrent.ConcurrentHashMap<>();
    for (SweepPlan.Cohort cohort : SweepPlan.cohorts(new ArrayList<>(unique.values()), sizes, data.trainRows(),
        Runtime.getRuntime().maxMemory())) {
      Map<Double, List<PlannedRun>> byTol = new LinkedHashMap<>();
      for (PlannedRun r : cohort.runs()) byTol.computeIfAbsent(tolOf.get(r.runId()), t -> new ArrayList<>()).add(r);
      for (Map.Entry<Double, List<PlannedRun>> e : byTol.entrySet()) {
        PlannedRun r0 = e.getValue().get(0);
        Trainer trainer = new Trainer(jsc, data, models.get(r0.model()), r0.training(), null)
            .convergenceTol(e.getKey()).finalParameters(thetas::put);
        for (RunResult res : trainer.train(e.getValue())) results.put(res.runId(), res);
      }
    }
    for (int i : group) {
      Config c = configs.get(i);
      out.set(i, new Fitted(d, k, models.get(c.model()), thetas.get(ids[i]).clone(), results.get(ids[i])));
    }
  }

  /** MLlib's checks of the data against the configuration. */
  private static void check(Config c, int d, int k) {
    if ("binomial".equals(c.family()) && k > 2) {
      throw new IllegalArgumentException("Binomial family only supports 1 or 2 outcome classes but found " + k + ".");
    }
    if (c.layers() != null) {
      int[] l = c.layers();
      if (l[0] != d) {
        throw new IllegalArgumentException("layers[0] = " + l[0] + " but the features column holds vectors of size " + d);
      }
      if (l[l.length - 1] != k) {
        throw new IllegalArgumentException("layers[" + (l.length - 1) + "] = " + l[l.length - 1]
            + " but the labels have " + k + " classes (0.." + (k - 1) + ")");
      }
    }
  }
}
