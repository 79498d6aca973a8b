package io.adaspark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.adaspark.metrics.RunIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * The tables of one job output: per run, per configuration (a run's hyper-parameters without
 * the seed: the {@code config} column) and per optimizer (its best configuration). Per-run
 * numbers are aggregated by Spark from {@code metrics/}; the status comes from {@code runs/}.
 */
public final class JobAnalysis {
  /** Status of a run that has metrics but no row in {@code runs/} (a partial output). */
  public static final String INCOMPLETE = "incomplete";

  /**
   * One run. Losses are at the last evaluation; null when never evaluated or not finite.
   * {@code id} is the rest of its identity ({@code model}, {@code training}, f*, random-search
   * trial; empty for outputs written before those columns).
   */
  public record RunStat(String runId, String optimizer, String config, double baseLr, long seed,
                        String status, String statusDetail, Long finalStep, Double finalTrainLoss,
                        Double bestTrainLoss, Double finalTestLoss, Double finalTestAccuracy,
                        Long stepsToTarget, Double secondsToTarget, Double wallSeconds, Identity id) {
    public boolean diverged() {
      return "diverged".equals(status);
    }

    /** Stopped at a rung of a multi-fidelity {@code scheduler}: not trained to the end. */
    public boolean droppedAtRung() {
      return "stopped".equals(status) && statusDetail != null && statusDetail.contains("successive halving: rung ");
    }
  }

  /**
   * What identifies a run besides its optimizer {@code config} and seed: the model and training
   * variant (canonical JSON, "" when the output has no such column), its f*, its optimizer entry
   * and random-search trial, and its final validation loss and accuracy.
   */
  public record Identity(String model, String training, Double fStar, String entry, Long trial,
                         Double finalValidationLoss, Double finalValidationAccuracy) {
    static final Identity NONE = new Identity("", "", null, null, null, null, null);

    /** The model and training variant, as one key. */
    String variant() {
      return model + "\u0000" + training;
    }
  }

  /**
   * One configuration — (optimizer config, model variant, training variant) — over its seeds.
   * {@code variantLabel} names the model/training fields that differ between the job's variants
   * ("" when the job has one).
   */
  public record ConfigStat(String optimizer, String config, String label, double baseLr,
                           List<RunStat> runs, int diverged, Double medianFinalTrainLoss,
                           Double medianBestTrainLoss, Double medianFinalTestLoss,
                           Double medianFinalTestAccuracy, Double medianStepsToTarget,
                           Double medianSecondsToTarget, int reachedTarget, String model, String training,
                           String variantLabel, Double medianFinalValidationLoss,
                           Double medianFinalValidationAccuracy) {
    /**
     * May be an optimizer's best configuration: no diverged seed, a finite final loss, and no
     * seed dropped at a rung of a {@code scheduler} (the best is trained to the end).
     */
    public boolean eligible() {
      return diverged == 0 && medianFinalTrainLoss != null && runs.stream().noneMatch(RunStat::droppedAtRung);
    }

    /** The value {@code select_by} ranks configurations by, or null when it has none. */
    Double criterion(String selectBy) {
      return switch (selectBy) {
        case "validation_loss" -> medianFinalValidationLoss;
        case "validation_accuracy" -> medianFinalValidationAccuracy;
        default -> medianFinalTrainLoss;
      };
    }

    /** The full key: config, model and training. */
    String key() {
      return config + "\u0000" + model + "\u0000" + training;
    }
  }

  /** One optimizer: its best configuration (null if none is eligible) and counts. */
  public record OptimizerStat(String optimizer, ConfigStat best, int configs, int runs, int diverged) {}

  final JobTables tables;
  final double target;
  final String targetRule;
  final Double fStar;
  final List<RunStat> runs;
  final List<ConfigStat> configs;
  final List<OptimizerStat> optimizers;
  final List<Long> seeds;
  /** How the best configuration is chosen: {@code train_loss}, {@code validation_loss} or {@code validation_accuracy}. */
  final String selectBy;
  /** Whether the job has more than one model/training variant. */
  final boolean variants;

  private JobAnalysis(JobTables tables, double target, String targetRule, Double fStar, List<RunStat> runs,
                      List<ConfigStat> configs, List<OptimizerStat> optimizers, List<Long> seeds, String selectBy,
                      boolean variants) {
    this.selectBy = selectBy;
    this.variants = variants;
    this.tables = tables;
    this.target = target;
    this.targetRule = targetRule;
    this.fStar = fStar;
    this.runs = runs;
    this.configs = configs;
    this.optimizers = optimizers;
    this.seeds = seeds;
  }

  public String name() { return tables.name; }
  public double target() { return target; }
  public List<RunStat> runs() { return runs; }
  public List<ConfigStat> configs() { return configs; }
  public List<OptimizerStat> optimizers() { return optimizers; }

  private static final String FINITE = "(NOT isnan(train_loss) AND abs(train_loss) < double('Infinity'))";
  private static final String EVAL_STEP = "CASE WHEN train_loss IS NOT NULL THEN step END";

  public static JobAnalysis of(JobTables t) {
    return of(t, Variants.names(t.typesAndConfigs()));
  }

  /** {@code variants}: the report's optimizer name of each {@code config} (see {@link Variants}). */
  static JobAnalysis of(JobTables t, Map<String, String> variants) {
    Dataset<Row> m = t.metrics;
    String selectBy = t.selectBy();
    // Pass 1: per run, from metrics/ (the last evaluation, the best finite train loss).
    List<org.apache.spark.sql.Column> aggs = new ArrayList<>(List.of(
        expr("first(optimizer)").as("optimizer"),
        expr("first(config)").as("config"),
        expr("first(base_lr)").as("base_lr"),
        expr("first(seed)").as("seed"),
        expr("max(" + EVAL_STEP + ")").as("final_step"),
        expr("max_by(train_loss, " + EVAL_STEP + ")").as("final_train_loss"),
        expr("min(CASE WHEN " + FINITE + " THEN train_loss END)").as("best_train_loss"),
        expr("max_by(test_loss, " + EVAL_STEP + ")").as("final_test_loss"),
        expr("max_by(test_accuracy, " + EVAL_STEP + ")").as("final_test_accuracy"),
        expr("max(wall_ms) / 1000.0").as("wall_seconds"),
        expr("bool_or(train_loss IS NOT NULL AND NOT " + FINITE + ")").as("non_finite")));
    // The run's identity beyond its config (columns of later versions; absent = null).
    for (StructField f : RunIdentity.COLUMNS) {
      aggs.add(opt(t, f.name(), "first(" + f.name() + ")", f.dataType().sql()));
    }
    aggs.add(opt(t, "validation_loss", "max_by(validation_loss, " + EVAL_STEP + ")", "DOUBLE"));
    aggs.add(opt(t, "validation_accuracy", "max_by(validation_accuracy, " + EVAL_STEP + ")", "DOUBLE"));
    List<Row> perRun = m.groupBy("run_id").agg(aggs.get(0), aggs.subList(1, aggs.size())
        .toArray(new org.apache.spark.sql.Column[0])).orderBy("run_id").collectAsList();
    Map<String, Row> runRows = new HashMap<>();
    if (t.runs != null) {
      for (Row r : t.runs.collectAsList()) runRows.put(r.getString(r.fieldIndex("run_id")), r);
    }
    List<RunStat> stats = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (Row r : perRun) {
      String id = str(r, "run_id");
      seen.add(id);
      Row rr = runRows.get(id);
      boolean nonFinite = Boolean.TRUE.equals(r.getAs("non_finite"));
      String status = rr != null ? rr.getString(rr.fieldIndex("status")) : nonFinite ? "diverged" : INCOMPLETE;
      String detail = rr != null ? str(rr, "status_detail")
          : nonFinite ? "non-finite training loss (no row in runs/)" : "no row in runs/";
      Double wall = rr != null && t.runsHas("wall_seconds") ? dbl(rr, "wall_seconds") : dbl(r, "wall_seconds");
      Identity ident = new Identity(str(r, RunIdentity.MODEL), str(r, RunIdentity.TRAINING),
          finite(dbl(r, RunIdentity.F_STAR)), r.getAs(RunIdentity.ENTRY), lng(r, RunIdentity.TRIAL),
          finite(dbl(r, "validation_loss")), finite(dbl(r, "validation_accuracy")));
      stats.add(new RunStat(id, variants.getOrDefault(str(r, "config"), str(r, "optimizer")), str(r, "config"),
          dbl(r, "base_lr"), lng(r, "seed"), status, detail,
          lng(r, "final_step"), finite(dbl(r, "final_train_loss")), dbl(r, "best_train_loss"),
          finite(dbl(r, "final_test_loss")), finite(dbl(r, "final_test_accuracy")), null, null, wall, ident));
    }
    // Runs in runs/ without any metrics row: their own columns.
    for (Map.Entry<String, Row> e : new TreeMap<>(runRows).entrySet()) {
      if (seen.contains(e.getKey())) continue;
      Row rr = e.getValue();
      Identity ident = !t.runsHas(RunIdentity.MODEL) ? Identity.NONE
          : new Identity(str(rr, RunIdentity.MODEL), str(rr, RunIdentity.TRAINING),
          finite(dbl(rr, RunIdentity.F_STAR)), rr.getAs(RunIdentity.ENTRY), lng(rr, RunIdentity.TRIAL),
          finite(dbl(rr, "final_validation_loss")), finite(dbl(rr, "final_validation_accuracy")));
      stats.add(new RunStat(e.getKey(), variants.getOrDefault(str(rr, "config"), str(rr, "optimizer")), str(rr, "config"), dbl(rr, "base_lr"),
          lng(rr, "seed"), str(rr, "status"), str(rr, "status_detail"), null,
          finite(dbl(rr, "final_train_loss")), finite(dbl(rr, "best_train_loss")),
          finite(dbl(rr, "final_test_loss")), finite(dbl(rr, "final_test_accuracy")), null, null,
          dbl(rr, "wall_seconds"), ident));
    }

    // The target.
    Double fStar = t.fStar();
    Double given = t.targetLoss();
    // Several model variants with their own f* (a grid over l2): each run's target is its own
    // variant's f* + 10⁻³·max(|f*|, 10⁻³).
    boolean perRunFStar = given == null && t.metricsHas(RunIdentity.F_STAR)
        && stats.stream().map(s -> s.id().fStar()).filter(Objects::nonNull).distinct().count() > 1;
    double target;
    String rule;
    if (given != null) {
      target = given;
      rule = "the job's `training.target_loss`";
    } else if (perRunFStar) {
      target = fStar == null ? Double.NaN : fStar + 1e-3 * Math.max(Math.abs(fStar), 1e-3);
      rule = "per model variant: its own f* + 10⁻³·max(|f*|, 10⁻³) (the `f_star` column; shown: the first variant's)";
    } else if (fStar != null) {
      target = fStar + 1e-3 * Math.max(Math.abs(fStar), 1e-3);
      rule = "f* + 10⁻³·max(|f*|, 10⁻³) (f* from the manifest)";
    } else {
      Double best = null;
      for (RunStat s : stats) {
        if (!s.diverged() && s.finalTrainLoss() != null && (best == null || s.finalTrainLoss() < best)) {
          best = s.finalTrainLoss();
        }
      }
      target = best == null ? Double.NaN : best + 0.01 * Math.abs(best);
      rule = "the lowest final train loss of any non-diverged run L, plus 1%: L + 0.01·|L|";
    }

    // Pass 2: time to target, per run (first evaluation at or below the target).
    if (!Double.isNaN(target) || perRunFStar) {
      String bound = perRunFStar ? "(f_star + 1e-3 * greatest(abs(f_star), 1e-3))" : target + "D";
      String reached = "CASE WHEN train_loss <= " + bound + " THEN step END";
      Map<String, Row> ttt = new HashMap<>();
      for (Row r : m.groupBy("run_id").agg(expr("min(" + reached + ")").as("steps"),
          expr("min_by(wall_ms, " + reached + ") / 1000.0").as("seconds")).collectAsList()) {
        ttt.put(str(r, "run_id"), r);
      }
      for (int i = 0; i < stats.size(); i++) {
        RunStat s = stats.get(i);
        Row r = ttt.get(s.runId());
        if (r == null || lng(r, "steps") == null) continue;
        stats.set(i, new RunStat(s.runId(), s.optimizer(), s.config(), s.baseLr(), s.seed(), s.status(),
            s.statusDetail(), s.finalStep(), s.finalTrainLoss(), s.bestTrainLoss(), s.finalTestLoss(),
            s.finalTestAccuracy(), lng(r, "steps"), dbl(r, "seconds"), s.wallSeconds(), s.id()));
      }
    }

    // The model/training variants and the fields that differ between them.
    Map<String, String> variantLabels = variantLabels(stats);
    boolean several = variantLabels.size() > 1;

    // Configurations — (config, model, training) — and optimizers.
    Map<String, Map<String, List<RunStat>>> byOpt = new TreeMap<>();
    for (RunStat s : stats) {
      byOpt.computeIfAbsent(s.optimizer(), k -> new TreeMap<>())
          .computeIfAbsent(s.config() + "\u0000" + s.id().variant(), k -> new ArrayList<>()).add(s);
    }
    List<ConfigStat> configs = new ArrayList<>();
    List<OptimizerStat> optimizers = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<RunStat>>> o : byOpt.entrySet()) {
      TreeSet<String> optConfigs = new TreeSet<>();
      for (List<RunStat> rs : o.getValue().values()) optConfigs.add(rs.get(0).config());
      Map<String, String> labels = labels(o.getKey(), optConfigs);
      List<ConfigStat> mine = new ArrayList<>();
      int nRuns = 0;
      int nDiv = 0;
      for (Map.Entry<String, List<RunStat>> c : o.getValue().entrySet()) {
        List<RunStat> rs = c.getValue();
        rs.sort(Comparator.comparingLong(RunStat::seed).thenComparing(RunStat::runId));
        int div = (int) rs.stream().filter(RunStat::diverged).count();
        List<Long> steps = new ArrayList<>();
        List<Double> secs = new ArrayList<>();
        for (RunStat s : rs) {
          steps.add(s.stepsToTarget());
          secs.add(s.stepsToTarget() == null ? null : s.secondsToTarget());
        }
        RunStat first = rs.get(0);
        String vLabel = several ? variantLabels.get(first.id().variant()) : "";
        String label = labels.get(first.config()) + (vLabel.isEmpty() ? "" : " " + vLabel);
        ConfigStat cs = new ConfigStat(o.getKey(), first.config(), label, first.baseLr(), rs, div,
            div > 0 ? null : Stats.median(map(rs, RunStat::finalTrainLoss)),
            Stats.median(map(rs, RunStat::bestTrainLoss)),
            Stats.median(map(rs, RunStat::finalTestLoss)),
            Stats.median(map(rs, RunStat::finalTestAccuracy)),
            Stats.medianOrNever(steps), Stats.medianOrNever(secs),
            (int) steps.stream().filter(Objects::nonNull).count(), first.id().model(), first.id().training(), vLabel,
            div > 0 ? null : Stats.median(map(rs, s -> s.id().finalValidationLoss())),
            div > 0 ? null : Stats.median(map(rs, s -> s.id().finalValidationAccuracy())));
        mine.add(cs);
        nRuns += rs.size();
        nDiv += div;
      }
      mine.sort(Comparator.comparingDouble(ConfigStat::baseLr).thenComparing(ConfigStat::config)
          .thenComparing(ConfigStat::model).thenComparing(ConfigStat::training));
      configs.addAll(mine);
      ConfigStat best = null;
      boolean higherIsBetter = selectBy.equals("validation_accuracy");
      for (ConfigStat c : mine) {
        Double v = c.criterion(selectBy);
        if (!c.eligible() || v == null) continue;
        Double b = best == null ? null : best.criterion(selectBy);
        if (best == null || (higherIsBetter ? v > b : v < b) || (v.equals(b) && c.key().compareTo(best.key()) < 0)) {
          best = c;
        }
      }
      optimizers.add(new OptimizerStat(o.getKey(), best, mine.size(), nRuns, nDiv));
    }
    List<Long> seeds = new ArrayList<>(new TreeSet<>(map(stats, RunStat::seed)));
    // All runs by final train loss; diverged runs and runs never evaluated last.
    stats.sort(Comparator.comparing((RunStat s) -> s.diverged() || s.finalTrainLoss() == null
        ? Double.POSITIVE_INFINITY : s.finalTrainLoss()).thenComparing(RunStat::diverged).thenComparing(RunStat::runId));
    return new JobAnalysis(t, target, rule, fStar, stats, configs, optimizers, seeds, selectBy, several);
  }

  /** An aggregate of a column added by a later version, or a typed null when the output lacks it. */
  private static org.apache.spark.sql.Column opt(JobTables t, String column, String aggregate, String type) {
    return (t.metricsHas(column) ? expr(aggregate) : expr("CAST(NULL AS " + type + ")")).as(column);
  }

  /**
   * A short label of each model/training variant (key {@link Identity#variant()}): the fields
   * whose values differ between the variants, e.g. {@code l2=0.0001 batch_size=16}.
   */
  static Map<String, String> variantLabels(List<RunStat> stats) {
    Map<String, Map<String, String>> flat = new TreeMap<>();
    for (RunStat s : stats) {
      flat.computeIfAbsent(s.id().variant(), k -> {
        Map<String, String> f = new TreeMap<>();
        for (String json : List.of(s.id().model(), s.id().training())) {
          if (json.isEmpty()) continue;
          Map<String, String> fields = ConfigFields.of(json, ConfigFields.SHOWN);
          if (fields == null) {
            f.put("variant", json);
          } else {
            f.putAll(fields);
          }
        }
        return f;
      });
    }
    TreeSet<String> keys = new TreeSet<>();
    for (Map<String, String> f : flat.values()) keys.addAll(f.keySet());
    List<String> differing = new ArrayList<>();
    for (String k : keys) {
      if (flat.values().stream().map(f -> f.get(k)).distinct().count() > 1) differing.add(k);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : flat.entrySet()) {
      StringBuilder b = new StringBuilder();
      for (String k : differing) {
        if (b.length() > 0) b.append(' ');
        b.append(k).append('=').append(e.getValue().getOrDefault(k, "—"));
      }
      out.put(e.getKey(), b.toString());
    }
    return out;
  }

  /**
   * Short names for the configurations of one optimizer: {@code lr} plus every hyper-parameter
   * whose value differs between them (e.g. {@code sgd lr=0.05 momentum=0.9}).
   */
  static Map<String, String> labels(String optimizer, java.util.Collection<String> configs) {
    Map<String, Map<String, String>> flat = new LinkedHashMap<>();
    for (String c : configs) {
      Map<String, String> f = ConfigFields.of(c, ConfigFields.SHOWN);
      flat.put(c, f != null ? f : new TreeMap<>(Map.of("config", c)));
    }
    TreeSet<String> keys = new TreeSet<>();
    for (Map<String, String> f : flat.values()) keys.addAll(f.keySet());
    List<String> differing = new ArrayList<>();
    for (String k : keys) {
      if (k.equals("lr") || k.equals("type")) continue;
      String first = null;
      boolean differs = false;
      boolean firstSet = false;
      for (Map<String, String> f : flat.values()) {
        String v = f.get(k);
        if (!firstSet) {
          first = v;
          firstSet = true;
        } else if (!Objects.equals(first, v)) {
          differs = true;
        }
      }
      if (differs) differing.add(k);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : flat.entrySet()) {
      StringBuilder b = new StringBuilder(optimizer);
      String lr = e.getValue().get("lr");
      if (lr != null) b.append(" lr=").append(lr);
      for (String k : differing) {
        String v = e.getValue().get(k);
        if (v != null) b.append(' ').append(k).append('=').append(v);
      }
      out.put(e.getKey(), b.toString());
    }
    return out;
  }

  private static <A, B> List<B> map(List<A> in, java.util.function.Function<A, B> f) {
    List<B> out = new ArrayList<>(in.size());
    for (A a : in) out.add(f.apply(a));
    return out;
  }

  private static Double finite(Double d) {
    return d != null && Double.isFinite(d) ? d : null;
  }

  private static Double dbl(Row r, String name) {
    int i = r.fieldIndex(name);
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  private static Long lng(Row r, String name) {
    int i = r.fieldIndex(name);
    return r.isNullAt(i) ? null : ((Number) r.get(i)).longValue();
  }

  private static String str(Row r, String name) {
    int i = r.fieldIndex(name);
    return r.isNullAt(i) ? "" : r.get(i).toString();
  }

  /** The evaluation rows of the given runs, for the curves. */
  Dataset<Row> evalRows(List<String> runIds) {
    List<String> cols = new ArrayList<>(List.of("run_id", "seed", "step", "wall_ms", "train_loss"));
    for (String c : List.of("test_loss", "test_accuracy", "suboptimality", "test_auc")) {
      if (tables.metricsHas(c)) cols.add(c);
    }
    return tables.metrics.where(col("run_id").isin(runIds.toArray()).and(col("train_loss").isNotNull()))
        .selectExpr(cols.toArray(new String[0])).orderBy("run_id", "step");
  }
}
