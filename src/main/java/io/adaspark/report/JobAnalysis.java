package io.adaspark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The tables of one job output: per run, per configuration (a run's hyper-parameters without
 * the seed: the {@code config} column) and per optimizer (its best configuration). Per-run
 * numbers are aggregated by Spark from {@code metrics/}; the status comes from {@code runs/}.
 */
public final class JobAnalysis {
  /** Status of a run that has metrics but no row in {@code runs/} (a partial output). */
  public static final String INCOMPLETE = "incomplete";

  /** One run. Losses are at the last evaluation; null when never evaluated or not finite. */
  public record RunStat(String runId, String optimizer, String config, double baseLr, long seed,
                        String status, String statusDetail, Long finalStep, Double finalTrainLoss,
                        Double bestTrainLoss, Double finalTestLoss, Double finalTestAccuracy,
                        Long stepsToTarget, Double secondsToTarget, Double wallSeconds) {
    public boolean diverged() {
      return "diverged".equals(status);
    }
  }

  /** One configuration of one optimizer, over its seeds. */
  public record ConfigStat(String optimizer, String config, String label, double baseLr,
                           List<RunStat> runs, int diverged, Double medianFinalTrainLoss,
                           Double medianBestTrainLoss, Double medianFinalTestLoss,
                           Double medianFinalTestAccuracy, Double medianStepsToTarget,
                           Double medianSecondsToTarget, int reachedTarget) {
    /** May be an optimizer's best configuration: no diverged seed and a finite final loss. */
    public boolean eligible() {
      return diverged == 0 && medianFinalTrainLoss != null;
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

  private JobAnalysis(JobTables tables, double target, String targetRule, Double fStar, List<RunStat> runs,
                      List<ConfigStat> configs, List<OptimizerStat> optimizers, List<Long> seeds) {
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
    // Pass 1: per run, from metrics/ (the last evaluation, the best finite train loss).
    List<Row> perRun = m.groupBy("run_id").agg(
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
        expr("bool_or(train_loss IS NOT NULL AND NOT " + FINITE + ")").as("non_finite"))
        .orderBy("run_id").collectAsList();
    Map<String, Row> runRows = new HashMap<>();
    if (t.runs != null) {
      for (Row r : t.runs.collectAsList()) runRows.put(r.getString(r.fieldIndex("run_id")), r);
    }
    List<RunStat> stats = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (Row r : perRun) {
      String id = r.getString(0);
      seen.add(id);
      Row rr = runRows.get(id);
      boolean nonFinite = !r.isNullAt(11) && r.getBoolean(11);
      String status = rr != null ? rr.getString(rr.fieldIndex("status")) : nonFinite ? "diverged" : INCOMPLETE;
      String detail = rr != null ? str(rr, "status_detail")
          : nonFinite ? "non-finite training loss (no row in runs/)" : "no row in runs/";
      Double wall = rr != null && t.runsHas("wall_seconds") ? dbl(rr, "wall_seconds") : dbl(r, "wall_seconds");
      stats.add(new RunStat(id, variants.getOrDefault(r.getString(2), r.getString(1)), r.getString(2), r.getDouble(3), r.getLong(4), status, detail,
          r.isNullAt(5) ? null : r.getLong(5), finite(dbl(r, "final_train_loss")), dbl(r, "best_train_loss"),
          finite(dbl(r, "final_test_loss")), finite(dbl(r, "final_test_accuracy")), null, null, wall));
    }
    // Runs in runs/ without any metrics row: their own columns.
    for (Map.Entry<String, Row> e : new TreeMap<>(runRows).entrySet()) {
      if (seen.contains(e.getKey())) continue;
      Row rr = e.getValue();
      stats.add(new RunStat(e.getKey(), variants.getOrDefault(str(rr, "config"), str(rr, "optimizer")), str(rr, "config"), dbl(rr, "base_lr"),
          rr.getLong(rr.fieldIndex("seed")), str(rr, "status"), str(rr, "status_detail"), null,
          finite(dbl(rr, "final_train_loss")), finite(dbl(rr, "best_train_loss")),
          finite(dbl(rr, "final_test_loss")), finite(dbl(rr, "final_test_accuracy")), null, null,
          dbl(rr, "wall_seconds")));
    }

    // The target.
    Double fStar = t.fStar();
    Double given = t.targetLoss();
    double target;
    String rule;
    if (given != null) {
      target = given;
      rule = "the job's `training.target_loss`";
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
    if (!Double.isNaN(target)) {
      String reached = "CASE WHEN train_loss <= " + target + "D THEN step END";
      Map<String, Row> ttt = new HashMap<>();
      for (Row r : m.groupBy("run_id").agg(expr("min(" + reached + ")").as("steps"),
          expr("min_by(wall_ms, " + reached + ") / 1000.0").as("seconds")).collectAsList()) {
        ttt.put(r.getString(0), r);
      }
      for (int i = 0; i < stats.size(); i++) {
        RunStat s = stats.get(i);
        Row r = ttt.get(s.runId());
        if (r == null || r.isNullAt(1)) continue;
        stats.set(i, new RunStat(s.runId(), s.optimizer(), s.config(), s.baseLr(), s.seed(), s.status(),
            s.statusDetail(), s.finalStep(), s.finalTrainLoss(), s.bestTrainLoss(), s.finalTestLoss(),
            s.finalTestAccuracy(), r.getLong(1), r.isNullAt(2) ? null : r.getDouble(2), s.wallSeconds()));
      }
    }

    // Configurations and optimizers.
    Map<String, Map<String, List<RunStat>>> byOpt = new TreeMap<>();
    for (RunStat s : stats) {
      byOpt.computeIfAbsent(s.optimizer(), k -> new TreeMap<>()).computeIfAbsent(s.config(), k -> new ArrayList<>()).add(s);
    }
    List<ConfigStat> configs = new ArrayList<>();
    List<OptimizerStat> optimizers = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<RunStat>>> o : byOpt.entrySet()) {
      Map<String, String> labels = labels(o.getKey(), o.getValue().keySet());
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
        ConfigStat cs = new ConfigStat(o.getKey(), c.getKey(), labels.get(c.getKey()), rs.get(0).baseLr(), rs, div,
            div > 0 ? null : Stats.median(map(rs, RunStat::finalTrainLoss)),
            Stats.median(map(rs, RunStat::bestTrainLoss)),
            Stats.median(map(rs, RunStat::finalTestLoss)),
            Stats.median(map(rs, RunStat::finalTestAccuracy)),
            Stats.medianOrNever(steps), Stats.medianOrNever(secs),
            (int) steps.stream().filter(Objects::nonNull).count());
        mine.add(cs);
        nRuns += rs.size();
        nDiv += div;
      }
      mine.sort(Comparator.comparingDouble(ConfigStat::baseLr).thenComparing(ConfigStat::config));
      configs.addAll(mine);
      ConfigStat best = null;
      for (ConfigStat c : mine) {
        if (!c.eligible()) continue;
        if (best == null || c.medianFinalTrainLoss() < best.medianFinalTrainLoss()
            || (c.medianFinalTrainLoss().equals(best.medianFinalTrainLoss()) && c.config().compareTo(best.config()) < 0)) {
          best = c;
        }
      }
      optimizers.add(new OptimizerStat(o.getKey(), best, mine.size(), nRuns, nDiv));
    }
    List<Long> seeds = new ArrayList<>(new TreeSet<>(map(stats, RunStat::seed)));
    // All runs by final train loss; diverged runs and runs never evaluated last.
    stats.sort(Comparator.comparing((RunStat s) -> s.diverged() || s.finalTrainLoss() == null
        ? Double.POSITIVE_INFINITY : s.finalTrainLoss()).thenComparing(RunStat::diverged).thenComparing(RunStat::runId));
    return new JobAnalysis(t, target, rule, fStar, stats, configs, optimizers, seeds);
  }

  /**
   * Short names for the configurations of one optimizer: {@code lr} plus every hyper-parameter
   * whose value differs between them (e.g. {@code sgd lr=0.05 momentum=0.9}).
   */
  static Map<String, String> labels(String optimizer, java.util.Collection<String> configs) {
    ObjectMapper om = new ObjectMapper();
    Map<String, Map<String, String>> flat = new LinkedHashMap<>();
    for (String c : configs) {
      Map<String, String> f = new TreeMap<>();
      try {
        flatten("", om.readTree(c), f);
      } catch (Exception e) {
        f.put("config", c);
      }
      flat.put(c, f);
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

  private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.put(prefix, n.isTextual() ? n.asText() : n.isNumber() ? Report.fmt(n.asDouble()) : n.toString());
    }
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
