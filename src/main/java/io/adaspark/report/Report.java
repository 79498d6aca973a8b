package io.adaspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.adaspark.metrics.JobOutput;
import io.adaspark.metrics.Manifest;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code report/}: {@code index.md} (tables, definitions, image links), PNG figures and CSV
 * tables, computed from the Parquet outputs of one or more jobs. Written to a hidden
 * temporary directory and renamed into place, so a report is either complete or absent.
 */
public final class Report {
  private Report() {}

  /** A file of the report (figure or table). */
  record Figure(String file, String title, String caption, byte[] png) {}

  /** Writes the report of one job output into {@code <dir>/report}; returns index.md's path. */
  public static Path write(SparkSession spark, String dir, PrintStream log) throws IOException {
    return write(spark, List.of(dir), null, log);
  }

  /**
   * Writes the report of several job outputs (performance profiles over all their problems)
   * into {@code to}; {@code to} may be null for a single job ({@code <dir>/report}).
   */
  public static Path write(SparkSession spark, List<String> dirs, String to, PrintStream log) throws IOException {
    if (dirs.isEmpty()) throw new ReportInputException("report: no job output directory given");
    if (dirs.size() > 1 && to == null) {
      throw new ReportInputException("report: several directories need --to DIR (where the report goes)");
    }
    List<JobTables> tables = new ArrayList<>();
    List<String[]> typesAndConfigs = new ArrayList<>();
    for (String d : dirs) {
      JobTables t = JobTables.read(spark, d);
      tables.add(t);
      typesAndConfigs.addAll(t.typesAndConfigs());
    }
    // Optimizer names over all jobs together, so that a profile compares the same optimizers.
    Map<String, String> variants = Variants.names(typesAndConfigs);
    List<JobAnalysis> jobs = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    for (int i = 0; i < dirs.size(); i++) {
      String d = dirs.get(i);
      JobAnalysis a = JobAnalysis.of(tables.get(i), variants);
      if (!names.add(a.name())) throw new ReportInputException(d + ": a second job named " + a.name());
      jobs.add(a);
    }
    JobOutput out = to == null
        ? new JobOutput(spark.sparkContext().hadoopConfiguration(), jobs.get(0).tables.dir.toString(), "report")
        : new JobOutput(spark.sparkContext().hadoopConfiguration(),
            new Path(to).getParent() == null ? "." : new Path(to).getParent().toString(), new Path(to).getName());
    FileSystem fs = out.tmpDir().getFileSystem(spark.sparkContext().hadoopConfiguration());
    // On the local file system, write without Hadoop's .crc side files (the report is for people).
    if (fs instanceof ChecksumFileSystem c) fs = c.getRawFileSystem();
    try {
      Map<String, byte[]> files = build(jobs, log);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        try (OutputStream o = fs.create(new Path(out.tmpDir(), f.getKey()), true)) {
          o.write(f.getValue());
        }
      }
      out.commit();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    }
    return new Path(out.finalDir(), "index.md");
  }

  /**
   * Every file of the report by name: per job its description, summary, figures, rungs,
   * configurations, paired comparisons, tuning budget and runs; then the performance profiles
   * over all jobs and the definitions. The analysis is {@link JobAnalysis}'s; this only renders.
   */
  static Map<String, byte[]> build(List<JobAnalysis> jobs, PrintStream log) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    TreeSet<String> allOptimizers = new TreeSet<>();
    for (JobAnalysis j : jobs) for (JobAnalysis.OptimizerStat o : j.optimizers) allOptimizers.add(o.optimizer());
    List<String> optimizerOrder = new ArrayList<>(allOptimizers);
    boolean several = jobs.size() > 1;
    StringBuilder md = title(jobs);
    StringBuilder summaryCsv = new StringBuilder(SUMMARY_HEADER);
    StringBuilder configsCsv = new StringBuilder(CONFIGS_HEADER);
    StringBuilder runsCsv = new StringBuilder(RUNS_HEADER);
    StringBuilder pairwiseCsv = new StringBuilder(Comparisons.PAIRWISE_HEADER);
    StringBuilder budgetCsv = new StringBuilder(Comparisons.BUDGET_HEADER);
    Profiles.Profile[] profiles = {Profiles.of(jobs, false), Profiles.of(jobs, true)};

    for (JobAnalysis j : jobs) {
      String h = several ? "###" : "##";
      String prefix = several ? j.name() + "-" : "";
      if (several) md.append("## Job ").append(j.name()).append("\n\n");
      describeJob(md, j);

      summary(md, summaryCsv, j, h, profiles);
      figures(md, files, j, h, optimizerOrder, prefix);
      RungReport.append(j, h, prefix, md, files);
      configurations(md, configsCsv, j, h);
      Comparisons.pairwise(md, pairwiseCsv, j, h);
      tuningBudget(md, budgetCsv, files, j, optimizerOrder, prefix, h);
      allRuns(md, runsCsv, j, h);
    }

    String profileCsv = profiles(md, files, profiles, optimizerOrder);
    md.append(DEFINITIONS);
    files.put("summary.csv", summaryCsv.toString().getBytes(StandardCharsets.UTF_8));
    files.put("configs.csv", configsCsv.toString().getBytes(StandardCharsets.UTF_8));
    files.put("runs.csv", runsCsv.toString().getBytes(StandardCharsets.UTF_8));
    files.put("profile.csv", profileCsv.getBytes(StandardCharsets.UTF_8));
    files.put("pairwise.csv", pairwiseCsv.toString().getBytes(StandardCharsets.UTF_8));
    files.put("tuning_budget.csv", budgetCsv.toString().getBytes(StandardCharsets.UTF_8));
    files.put("index.md", md.toString().getBytes(StandardCharsets.UTF_8));
    if (log != null) log.printf("report: %d figures, %d jobs%n", files.keySet().stream().filter(n -> n.endsWith(".png")).count(), jobs.size());
    return files;
  }

  /** The report's title and where its tables came from. */
  private static StringBuilder title(List<JobAnalysis> jobs) {
    boolean several = jobs.size() > 1;
    StringBuilder md = new StringBuilder();
    md.append(several ? "# Report: " + jobs.size() + " jobs\n\n" : "# Report: " + jobs.get(0).name() + "\n\n");
    md.append("Generated ").append(Instant.now()).append(" by adaspark ").append(Manifest.version())
        .append(" from the Parquet tables of:\n\n");
    for (JobAnalysis j : jobs) md.append("- `").append(j.tables.dir).append("`\n");
    md.append("\nDefinitions are at the end ([Definitions](#definitions)). `summary.csv`, `configs.csv`, "
        + "`runs.csv` and `profile.csv` hold the tables below at full precision.\n\n");
    return md;
  }

  /** The job's summary: one row per optimizer (its best configuration), markdown and summary.csv. */
  private static void summary(StringBuilder md, StringBuilder summaryCsv, JobAnalysis j, String h,
                              Profiles.Profile[] profiles) {
    md.append(h).append(" Summary\n\n");
    boolean val = hasValidation(j);
    md.append("| optimizer | best configuration | seeds | final train loss | best train loss | final test loss "
        + "| test accuracy |" + (val ? " validation loss | validation accuracy |" : "")
        + " steps to target | seconds to target | configs | runs | diverged |\n");
    md.append("|---|---|--:|--:|--:|--:|--:|" + (val ? "--:|--:|" : "") + "--:|--:|--:|--:|--:|\n");
    for (JobAnalysis.OptimizerStat o : j.optimizers) {
      JobAnalysis.ConfigStat b = o.best();
      if (b == null) {
        md.append("| ").append(o.optimizer()).append(" | none: ")
            .append(droppedAtRungs(j, o) ? "no configuration trained to the end (the scheduler stopped them)"
                  : o.diverged() > 0 ? "every configuration has a diverged seed" : "no finite final loss")
            .append(" | | | | | | |").append(val ? " | |" : "").append(" | ").append(o.configs()).append(" | ")
            .append(o.runs()).append(" | ")
            .append(o.diverged()).append(" |\n");
      } else {
        md.append("| ").append(o.optimizer()).append(" | ").append(b.label()).append(" | ").append(b.runs().size())
            .append(" | ").append(ci(b, "final_train_loss")).append(" | ").append(ci(b, "best_train_loss"))
            .append(" | ").append(ci(b, "final_test_loss")).append(" | ").append(ci(b, "final_test_accuracy"))
            .append(val ? " | " + ci(b, "final_validation_loss") + " | " + ci(b, "final_validation_accuracy") : "")
            .append(" | ").append(reached(b.medianStepsToTarget(), b)).append(" | ")
            .append(reached(b.medianSecondsToTarget(), b)).append(" | ").append(o.configs()).append(" | ")
            .append(o.runs()).append(" | ").append(o.diverged()).append(" |\n");
      }
      summaryCsv.append(csv(j.name(), o.optimizer(), b == null ? null : b.config(),
          b == null ? null : b.runs().size(), b == null ? null : b.medianFinalTrainLoss(),
          b == null ? null : b.medianBestTrainLoss(), b == null ? null : b.medianFinalTestLoss(),
          b == null ? null : b.medianFinalTestAccuracy(), b == null ? null : b.medianStepsToTarget(),
          b == null ? null : b.medianSecondsToTarget(), b == null ? null : b.reachedTarget(), o.configs(),
          o.runs(), o.diverged(), b == null ? null : b.model(), b == null ? null : b.training(),
          b == null ? null : b.variantLabel(), j.selectBy, b == null ? null : b.medianFinalValidationLoss(),
          b == null ? null : b.medianFinalValidationAccuracy()).stripTrailing()
          + "," + ciCells(b) + "," + csv(profiles[0].ratios().containsKey(o.optimizer())
              ? profiles[0].score(o.optimizer(), R_MAX) : null,
          profiles[1].ratios().containsKey(o.optimizer()) ? profiles[1].score(o.optimizer(), R_MAX) : null));
    }
    md.append("\nBest configuration: ").append(SELECTION.get(j.selectBy)).append(" Its values are medians over its "
        + "seeds").append(oneSeed(j) ? ". **One seed per configuration: no confidence interval** (an interval needs "
            + "at least two seeds)" : " with a 95 % bootstrap confidence interval in brackets (percentile, "
            + Uncertainty.RESAMPLES + " resamples of the seeds)").append("; steps/seconds to target show "
        + "\"never\" when fewer than half of its seeds reach the target.\n\n");
  }

  /** The job's figures: curves and sensitivity, each drawn into {@code files} or said why not. */
  private static void figures(StringBuilder md, Map<String, byte[]> files, JobAnalysis j, String h,
                              List<String> optimizerOrder, String prefix) throws IOException {
    List<Figure> figs = curves(j, optimizerOrder, prefix);
    figs.addAll(sensitivity(j, optimizerOrder, prefix));
    md.append(h).append(" Figures\n\n");
    for (Figure f : figs) {
      if (f.png() == null) {
        md.append("**").append(f.title()).append("**: not drawn (").append(f.caption()).append(").\n\n");
        continue;
      }
      files.put(f.file(), f.png());
      md.append("**").append(f.title()).append("**. ").append(f.caption()).append("\n\n")
          .append("![").append(f.title()).append("](").append(f.file()).append(")\n\n");
    }
  }

  /** Every configuration of the job (hyper-parameter sensitivity), markdown and configs.csv. */
  private static void configurations(StringBuilder md, StringBuilder configsCsv, JobAnalysis j, String h) {
    boolean val = hasValidation(j);
    md.append(h).append(" Configurations (hyper-parameter sensitivity)\n\n");
    if (j.variants) {
      md.append("A configuration is (optimizer configuration, model variant, training variant); the variant column "
          + "names the model/training fields that differ between the job's variants.\n\n");
    }
    md.append("| optimizer | configuration |" + (j.variants ? " variant |" : "") + " base_lr | seeds | diverged "
        + "| final train loss | best train loss "
        + "| final test loss | test accuracy |" + (val ? " validation loss | validation accuracy |" : "")
        + " steps to target | seconds to target | best |\n");
    md.append("|---|---|" + (j.variants ? "---|" : "") + "--:|--:|--:|--:|--:|--:|--:|" + (val ? "--:|--:|" : "")
        + "--:|--:|---|\n");
    for (JobAnalysis.ConfigStat c : j.configs) {
      boolean best = isBest(j, c);
      md.append("| ").append(c.optimizer()).append(" | `").append(c.config()).append("` | ")
          .append(j.variants ? c.variantLabel() + " | " : "").append(fmt(c.baseLr()))
          .append(" | ").append(c.runs().size()).append(" | ").append(c.diverged()).append(" | ")
          .append(c.diverged() > 0 ? "**diverged**" : ci(c, "final_train_loss")).append(" | ")
          .append(fmt(c.medianBestTrainLoss())).append(" | ").append(fmt(c.medianFinalTestLoss())).append(" | ")
          .append(fmt(c.medianFinalTestAccuracy())).append(" | ")
          .append(val ? ci(c, "final_validation_loss") + " | " + ci(c, "final_validation_accuracy") + " | " : "")
          .append(reached(c.medianStepsToTarget(), c))
          .append(" | ").append(reached(c.medianSecondsToTarget(), c)).append(" | ").append(best ? "best" : "")
          .append(" |\n");
      configsCsv.append(csv(j.name(), c.optimizer(), c.config(), c.baseLr(), c.runs().size(), c.diverged(),
          c.medianFinalTrainLoss(), c.medianBestTrainLoss(), c.medianFinalTestLoss(), c.medianFinalTestAccuracy(),
          c.medianStepsToTarget(), c.medianSecondsToTarget(), c.reachedTarget(), best, c.model(), c.training(),
          c.variantLabel(), c.medianFinalValidationLoss(), c.medianFinalValidationAccuracy()).stripTrailing()
          + "," + ciCells(c) + "\n");
    }
    md.append("\n");
  }

  /** The tuning-budget table and figure of the job's random-search entries. */
  private static void tuningBudget(StringBuilder md, StringBuilder budgetCsv, Map<String, byte[]> files, JobAnalysis j,
                                   List<String> optimizerOrder, String prefix, String h) throws IOException {
    Figure budget = Comparisons.tuningBudget(md, budgetCsv, j, optimizerOrder, prefix, h);
    if (budget.png() != null) {
      files.put(budget.file(), budget.png());
      md.append("**").append(budget.title()).append("**. ").append(budget.caption()).append("\n\n")
          .append("![").append(budget.title()).append("](").append(budget.file()).append(")\n\n");
    }
  }

  /** Every run of the job, markdown and runs.csv. */
  private static void allRuns(StringBuilder md, StringBuilder runsCsv, JobAnalysis j, String h) {
    md.append(h).append(" All runs\n\nSorted by final train loss (diverged and never-evaluated runs last); "
        + "`runs.csv` has the same rows for sorting by any column.\n\n");
    md.append("| run | optimizer | configuration | seed | status | final step | final train loss | best train loss "
        + "| final test loss | test accuracy | steps to target | seconds to target | wall seconds |\n");
    md.append("|---|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    Map<String, String> labels = new TreeMap<>();
    for (JobAnalysis.ConfigStat c : j.configs) labels.put(c.optimizer() + "\u0000" + c.config(), c.label());
    for (JobAnalysis.RunStat r : j.runs) {
      md.append("| ").append(r.runId()).append(" | ").append(r.optimizer()).append(" | ")
          .append(labels.get(r.optimizer() + "\u0000" + r.config())).append(" | ").append(r.seed()).append(" | ")
          .append(r.diverged() ? "**diverged**" : r.status()).append(" | ")
          .append(r.finalStep() == null ? "—" : r.finalStep().toString()).append(" | ")
          .append(fmt(r.finalTrainLoss())).append(" | ").append(fmt(r.bestTrainLoss())).append(" | ")
          .append(fmt(r.finalTestLoss())).append(" | ").append(fmt(r.finalTestAccuracy())).append(" | ")
          .append(r.stepsToTarget() == null ? "never" : r.stepsToTarget().toString()).append(" | ")
          .append(r.secondsToTarget() == null ? "never" : fmt(r.secondsToTarget())).append(" | ")
          .append(fmt(r.wallSeconds())).append(" |\n");
      runsCsv.append(csv(j.name(), r.runId(), r.optimizer(), r.config(), r.baseLr(), r.seed(), r.status(),
          r.finalStep(), r.finalTrainLoss(), r.bestTrainLoss(), r.finalTestLoss(), r.finalTestAccuracy(),
          r.stepsToTarget(), r.secondsToTarget(), r.wallSeconds(), r.statusDetail(), r.id().model(),
          r.id().training(), r.id().fStar(), r.id().entry(), r.id().trial(), r.id().finalValidationLoss(),
          r.id().finalValidationAccuracy()));
    }
    md.append("\n");
  }

  /** The performance profiles over every problem of every job; returns profile.csv. */
  private static String profiles(StringBuilder md, Map<String, byte[]> files, Profiles.Profile[] profiles,
                                 List<String> optimizerOrder) throws IOException {
    // Performance profiles over every problem of every job.
    md.append("## Performance profiles\n\n");
    StringBuilder profileCsv = new StringBuilder("metric,optimizer,job,seed,ratio\n");
    for (Profiles.Profile p : profiles) {
      md.append("**In ").append(p.metric()).append("** over ").append(p.problems().size())
          .append(" problem(s) (job × seed): ρ(τ) = fraction of problems on which the optimizer reaches the target "
              + "within τ × the fastest optimizer's ").append(p.metric()).append(".\n\n");
      md.append("| optimizer | ρ(1) (fastest) | ρ(2) | ρ(4) | ρ(∞) (reached) | score B |\n|---|--:|--:|--:|--:|--:|\n");
      for (String o : p.ratios().keySet()) {
        md.append("| ").append(o).append(" | ").append(fmt(p.rho(o, 1))).append(" | ").append(fmt(p.rho(o, 2)))
            .append(" | ").append(fmt(p.rho(o, 4))).append(" | ").append(fmt(p.rho(o, Double.MAX_VALUE)))
            .append(" | ").append(fmt(p.score(o, R_MAX))).append(" |\n");
        double[] r = p.ratios().get(o);
        for (int i = 0; i < r.length; i++) {
          profileCsv.append(csv(p.metric(), o, p.problems().get(i).job(), p.problems().get(i).seed(),
              Double.isFinite(r[i]) ? r[i] : null));
        }
      }
      md.append("\nScore B = 1/(r_max − 1)·∫₁^r_max ρ(τ) dτ with r_max = 4 (AlgoPerf): 1 when fastest on every "
          + "problem, 0 when never within 4× the fastest.\n\n");
      Figure f = profileFigure(p, optimizerOrder);
      if (f.png() != null) {
        files.put(f.file(), f.png());
        md.append("![").append(f.title()).append("](").append(f.file()).append(")\n\n");
      } else {
        md.append("Not drawn (").append(f.caption()).append(").\n\n");
      }
    }
    return profileCsv.toString();
  }

  static final String DEFINITIONS = """
      ## Definitions

      - **Run**: one configuration trained from one seed. **Configuration**: all of a run's
        hyper-parameters except the seed — (optimizer entry, model variant, training variant): the
        `config` column (the optimizer entry with every default, its schedule and clipping), `model`
        and `training`. **Optimizer**: the type plus the structural options that differ
        between configurations of that type — a true boolean (`+nesterov`, `+amsgrad`), a text value
        (`+schedule=cosine`), a non-zero momentum (`+momentum`); numeric hyper-parameters are what its
        configurations differ in.
      - **Final loss**: the training objective at the run's last evaluation; **best loss**: the lowest
        finite training objective over its evaluations. A run is **diverged** when `runs/` says so
        (its loss, gradient or parameters became non-finite); a run with metrics but no row in `runs/`
        is **incomplete**.
      - **Best configuration** of an optimizer: among its configurations with no diverged seed, the one
        with the lowest median over seeds of the final training loss (ties: the first configuration
        JSON in lexical order); with `report.select_by` `validation_loss` / `validation_accuracy`, the
        lowest median final validation loss / highest validation accuracy, and its test figures are
        reported. With a `scheduler`, only configurations trained to the end qualify (none of their
        seeds stopped at a rung). If no configuration qualifies, the optimizer has no best
        configuration: it appears in the summary with its run counts only and as "never" in the profiles.
      - **Target** (per job): the job's `training.target_loss` if given; else, when the manifest has f*
        (`optimum.f_star`), f* + 10⁻³·max(|f*|, 10⁻³); else the lowest final training loss L of any
        non-diverged run plus 1%: L + 0.01·|L|. The value used is printed above each summary.
      - **Steps to target**: the first evaluation step at which the training loss is ≤ the target;
        **seconds to target**: the run's training wall time (`wall_ms`, evaluation excluded) at that
        step. "never" if no evaluation reaches it. Steps are multiples of `eval_every`.
      - **Medians** are over seeds (the mean of the two middle values for an even count); a median of
        steps/seconds counts "never" as +∞.
      - **Curves**: for each optimizer's best configuration, the median over seeds at each evaluation
        step (line) and its 95 % bootstrap interval (band). Against wall time, the x value of a step is
        the median over seeds of its wall time.
      - **Interval** `m [lo, hi]`: 95 % percentile bootstrap of the median (rliable's stratified
        bootstrap: 10,000 resamples of the seeds with replacement, fixed resampling seed). None with one
        seed.
      - **Paired comparisons**: per shared seed, P(A better) = (wins + ties/2)/n; two-sided exact sign
        test and Wilcoxon signed-rank test (zeros dropped, average ranks for ties) of the differences.
      - **Tuning budget** (Dodge et al. 2019): E[best of n] = Σᵢ vᵢ·[((N−i+1)/N)ⁿ − ((N−i)/N)ⁿ] over an
        optimizer's N random-search trials sorted best first, ± one standard deviation.
      - **Score B** (AlgoPerf): 1/(r_max − 1)·∫₁^r_max ρ(τ) dτ with r_max = 4.
      - **Performance profile** (Dolan & Moré, 2002): a problem p is a (job, seed) pair; t(p, s) is the
        steps (or seconds) optimizer s's best configuration needs to reach the job's target with that
        seed (+∞ if never, diverged or absent); r(p, s) = t(p, s) / min over optimizers of t(p, s);
        ρ_s(τ) = fraction of problems with r(p, s) ≤ τ. ρ_s(1) is how often s is fastest, ρ_s(∞) how
        often it reaches the target at all.
      - **Suboptimality**: f − f* of the training objective (the `suboptimality` column, or the
        training loss minus the manifest's f*), on a log scale; only when f* is known.
      """;

  private static void describeJob(StringBuilder md, JobAnalysis j) {
    JsonNode m = j.tables.manifest;
    if (m != null) {
      JsonNode job = m.path("job");
      JsonNode d = m.path("data");
      md.append("Job `").append(j.name()).append("`: model `").append(job.path("model")).append("`, training `")
          .append(job.path("training")).append("`. Data `").append(d.path("path").asText("?")).append("`: ")
          .append(d.path("train_rows").asText("?")).append(" train / ").append(d.path("test_rows").asText("?"))
          .append(" test rows, ").append(d.path("features").asText("?")).append(" features, ")
          .append(d.path("classes").asText("?")).append(" classes. Ran ").append(m.path("started_at").asText("?"))
          .append(" on `").append(m.path("cluster").path("master").asText("?")).append("`.\n\n");
    } else {
      md.append("Job `").append(j.name()).append("`: no manifest.json (partial output).\n\n");
    }
    md.append("Target train loss: **").append(Double.isNaN(j.target) ? "none (no finite loss)" : fmt(j.target))
        .append("** — ").append(j.targetRule).append(".");
    if (j.fStar != null) md.append(" f* = ").append(fmt(j.fStar)).append(".");
    md.append(" Runs: ").append(j.runs.size()).append(", seeds: ").append(j.seeds).append(".\n\n");
  }

  /** r_max of the integrated performance-profile score. */
  static final double R_MAX = 4;

  static final Map<String, String> SELECTION = Map.of(
      "train_loss", "the lowest median final **training** loss over seeds (`report.select_by`: `train_loss`).",
      "validation_loss", "the lowest median final **validation** loss over seeds (`report.select_by`: "
          + "`validation_loss`); its test figures are reported.",
      "validation_accuracy", "the highest median final **validation** accuracy over seeds (`report.select_by`: "
          + "`validation_accuracy`); its test figures are reported.");

  /** The metrics given a median and a 95 % interval in the tables and CSVs. */
  static final List<String> CI_METRICS = List.of("final_train_loss", "best_train_loss", "final_test_loss",
      "final_test_accuracy", "final_validation_loss", "final_validation_accuracy");
  static final String CI_COLUMNS = String.join(",", CI_METRICS.stream().map(m -> m + "_ci_low," + m + "_ci_high")
      .toList());

  // Columns after the first line's were added with model/training variants, validation and
  // uncertainty; readers keyed by header name are unaffected.
  private static final String SUMMARY_HEADER = "job,optimizer,best_config,seeds,final_train_loss,best_train_loss,"
      + "final_test_loss,final_test_accuracy,steps_to_target,seconds_to_target,reached_target,configs,runs,diverged,"
      + "best_model,best_training,best_variant,select_by,final_validation_loss,final_validation_accuracy,"
      + CI_COLUMNS + ",profile_score_steps,profile_score_seconds\n";
  private static final String CONFIGS_HEADER = "job,optimizer,config,base_lr,seeds,diverged,final_train_loss,"
      + "best_train_loss,final_test_loss,final_test_accuracy,steps_to_target,seconds_to_target,reached_target,best,"
      + "model,training,variant,final_validation_loss,final_validation_accuracy," + CI_COLUMNS + "\n";
  private static final String RUNS_HEADER = "job,run_id,optimizer,config,base_lr,seed,status,final_step,"
      + "final_train_loss,best_train_loss,final_test_loss,final_test_accuracy,steps_to_target,seconds_to_target,"
      + "wall_seconds,status_detail,model,training,f_star,entry,trial,final_validation_loss,"
      + "final_validation_accuracy\n";

  static Double runValue(JobAnalysis.RunStat r, String metric) {
    return metric.equals("best_train_loss") ? r.bestTrainLoss()
        : metric.equals("final_test_accuracy") ? r.finalTestAccuracy() : Comparisons.value(r, metric);
  }

  /** Median over the configuration's seeds with its interval, e.g. {@code 0.0537 [0.0531, 0.0542]}. */
  static String ci(JobAnalysis.ConfigStat c, String metric) {
    List<Double> v = new ArrayList<>();
    for (JobAnalysis.RunStat r : c.runs()) v.add(runValue(r, metric));
    return Uncertainty.show(Uncertainty.median(v));
  }

  /** The CSV cells lo,hi of every {@link #CI_METRICS} (empty without an interval). */
  static String ciCells(JobAnalysis.ConfigStat c) {
    List<Object> cells = new ArrayList<>();
    for (String m : CI_METRICS) {
      Uncertainty.Interval i = null;
      if (c != null) {
        List<Double> v = new ArrayList<>();
        for (JobAnalysis.RunStat r : c.runs()) v.add(runValue(r, m));
        i = Uncertainty.median(v);
      }
      cells.add(i == null ? null : i.lo());
      cells.add(i == null ? null : i.hi());
    }
    return csv(cells.toArray()).stripTrailing();
  }

  private static boolean hasValidation(JobAnalysis j) {
    return j.runs.stream().anyMatch(r -> r.id().finalValidationLoss() != null);
  }

  private static boolean oneSeed(JobAnalysis j) {
    return j.configs.stream().allMatch(c -> c.runs().size() < 2);
  }

  /** Whether a configuration of {@code o} was stopped at a rung and none was trained to the end undiverged. */
  private static boolean droppedAtRungs(JobAnalysis j, JobAnalysis.OptimizerStat o) {
    boolean any = false;
    for (JobAnalysis.ConfigStat c : j.configs) {
      if (!c.optimizer().equals(o.optimizer())) continue;
      boolean dropped = c.runs().stream().anyMatch(JobAnalysis.RunStat::droppedAtRung);
      if (!dropped && c.diverged() == 0) return false;
      any |= dropped;
    }
    return any;
  }

  private static boolean isBest(JobAnalysis j, JobAnalysis.ConfigStat c) {
    for (JobAnalysis.OptimizerStat o : j.optimizers) if (o.best() == c) return true;
    return false;
  }

  private static String reached(Double median, JobAnalysis.ConfigStat c) {
    String reached = c.reachedTarget() + "/" + c.runs().size();
    return (median == null ? "never" : fmt(median)) + " (" + reached + ")";
  }

  // ---------------------------------------------------------------- curves

  /** The evaluation rows of one optimizer's best configuration, by step. */
  private static final class Curve {
    final TreeMap<Long, List<Row>> byStep = new TreeMap<>();

    double[] x(boolean wall) {
      double[] x = new double[byStep.size()];
      int i = 0;
      for (Map.Entry<Long, List<Row>> e : byStep.entrySet()) {
        if (!wall) {
          x[i++] = e.getKey();
        } else {
          List<Double> w = new ArrayList<>();
          for (Row r : e.getValue()) w.add(r.getDouble(r.fieldIndex("wall_ms")) / 1000.0);
          Double med = Stats.median(w);
          x[i++] = med == null ? Double.NaN : med;
        }
      }
      return x;
    }

    /**
     * {median, low, high} over seeds at each step of a column (minus {@code shift}): the 95 %
     * bootstrap interval of the median (low = high = median with one seed).
     */
    double[][] y(String column, double shift) {
      int n = byStep.size();
      double[][] out = new double[3][n];
      int i = 0;
      for (List<Row> rows : byStep.values()) {
        List<Double> v = new ArrayList<>();
        for (Row r : rows) {
          int k = r.fieldIndex(column);
          if (!r.isNullAt(k)) v.add(r.getDouble(k) - shift);
        }
        Uncertainty.Interval ci = Uncertainty.median(v);
        out[0][i] = ci == null ? Double.NaN : ci.point();
        out[1][i] = ci == null ? Double.NaN : ci.hasInterval() ? ci.lo() : ci.point();
        out[2][i] = ci == null ? Double.NaN : ci.hasInterval() ? ci.hi() : ci.point();
        i++;
      }
      return out;
    }
  }

  static final String BAND = "median over seeds (line), 95 % bootstrap confidence interval of the median (band; "
      + "no band with one seed).";

  static List<Figure> curves(JobAnalysis j, List<String> order, String prefix) throws IOException {
    Map<String, Curve> curves = new LinkedHashMap<>();
    Map<String, String> runToOpt = new TreeMap<>();
    Map<String, String> firstRun = new LinkedHashMap<>();
    for (JobAnalysis.OptimizerStat o : j.optimizers) {
      if (o.best() == null) continue;
      curves.put(o.optimizer(), new Curve());
      for (JobAnalysis.RunStat r : o.best().runs()) runToOpt.put(r.runId(), o.optimizer());
      firstRun.put(o.optimizer(), o.best().runs().get(0).runId());
    }
    List<String> cols = new ArrayList<>();
    if (!runToOpt.isEmpty()) {
      List<Row> rows = j.evalRows(new ArrayList<>(runToOpt.keySet())).collectAsList();
      if (!rows.isEmpty()) cols.addAll(List.of(rows.get(0).schema().fieldNames()));
      for (Row r : rows) {
        curves.get(runToOpt.get(r.<String>getAs("run_id"))).byStep
            .computeIfAbsent(r.<Long>getAs("step"), k -> new ArrayList<>()).add(r);
      }
    }
    List<Figure> figs = new ArrayList<>();
    String why = curves.isEmpty() ? "no optimizer has a best configuration" : null;
    // Train and test in separate figures: with a dozen optimizers one figure would be unreadable.
    for (String which : List.of("train", "test")) {
      for (boolean wall : new boolean[] {false, true}) {
        String xs = wall ? "time" : "step";
        String xt = wall ? "training wall time (s)" : "step";
        figs.add(curveFigure(j, curves, order, prefix + which + "_loss_" + xs + ".png",
            (which.equals("train") ? "Training" : "Test") + " loss vs " + (wall ? "wall time" : "step"),
            (which.equals("train") ? "Training" : "Test") + " objective of each optimizer's best configuration: "
                + BAND, xt, which + " loss", wall,
            List.of(which + "_loss"), 0, why));
      }
    }
    // Suboptimality: the column when it has values, else train_loss - f*.
    boolean hasCol = cols.contains("suboptimality") && curves.values().stream()
        .anyMatch(c -> c.byStep.values().stream().flatMap(List::stream)
            .anyMatch(r -> !r.isNullAt(r.fieldIndex("suboptimality"))));
    if (hasCol || j.fStar != null) {
      figs.add(curveFigure(j, curves, order, prefix + "suboptimality.png", "Suboptimality f − f*",
          "Training objective minus f* (log scale) of each best configuration: " + BAND,
          "step", "f − f*", false, List.of(hasCol ? "suboptimality" : "train_loss"), hasCol ? 0 : j.fStar, why));
    } else {
      figs.add(new Figure(prefix + "suboptimality.png", "Suboptimality f − f*",
          "f* was not computed for this job", null));
    }
    if (cols.contains("test_accuracy")) {
      figs.add(curveFigure(j, curves, order, prefix + "test_accuracy.png", "Test accuracy vs step",
          "Test accuracy of each best configuration: " + BAND, "step", "test accuracy",
          false, List.of("test_accuracy"), 0, why));
    }
    if (cols.contains("test_auc")) {
      figs.add(curveFigure(j, curves, order, prefix + "test_auc.png", "Test AUC vs step",
          "Test ROC AUC of each best configuration: " + BAND, "step", "test AUC",
          false, List.of("test_auc"), 0, why));
    }
    figs.add(lrFigure(j, firstRun, order, prefix + "lr.png"));
    return figs;
  }

  private static Figure curveFigure(JobAnalysis j, Map<String, Curve> curves, List<String> order, String file,
                                    String title, String caption, String xTitle, String yTitle, boolean wall,
                                    List<String> columns, double shift, String why) throws IOException {
    if (why != null) return new Figure(file, title, why, null);
    // Log y for suboptimality always; for losses when every value is positive and they span more
    // than a decade (a factor 10); linear otherwise.
    boolean sub = columns.contains("suboptimality") || shift != 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Curve c : curves.values()) {
      for (String col : columns) {
        double[][] y = c.y(col, shift);
        for (double v : y[1]) if (Double.isFinite(v)) lo = Math.min(lo, v);
        for (double v : y[2]) if (Double.isFinite(v)) hi = Math.max(hi, v);
      }
    }
    boolean accuracy = columns.contains("test_accuracy") || columns.contains("test_auc");
    boolean logY = sub || (!accuracy && lo > 0 && hi / lo > 10);
    XYChart chart = LineChart.chart(title + " — " + j.name(), xTitle, yTitle, false, logY);
    for (Map.Entry<String, Curve> e : curves.entrySet()) {
      Color color = LineChart.color(order.indexOf(e.getKey()));
      for (String col : columns) {
        double[][] y = e.getValue().y(col, shift);
        String name = e.getKey() + (columns.size() > 1 ? " " + col.replace("_loss", "") : "");
        LineChart.band(chart, name, color, e.getValue().x(wall), y[0], y[1], y[2], false, logY);
      }
    }
    if (!LineChart.hasData(chart)) return new Figure(file, title, "no finite values to plot", null);
    return new Figure(file, title, caption, LineChart.png(chart));
  }

  private static Figure lrFigure(JobAnalysis j, Map<String, String> firstRun, List<String> order, String file)
      throws IOException {
    String title = "Learning rate vs step";
    if (firstRun.isEmpty()) return new Figure(file, title, "no optimizer has a best configuration", null);
    Map<String, String> optOf = new TreeMap<>();
    for (Map.Entry<String, String> e : firstRun.entrySet()) optOf.put(e.getValue(), e.getKey());
    List<Row> rows = j.tables.metrics.where(org.apache.spark.sql.functions.col("run_id").isin(optOf.keySet().toArray())
        .and(org.apache.spark.sql.functions.col("lr").isNotNull())).select("run_id", "step", "lr")
        .orderBy("run_id", "step").collectAsList();
    Map<String, List<double[]>> pts = new TreeMap<>();
    boolean positive = true;
    for (Row r : rows) {
      double lr = r.<Double>getAs("lr");
      if (!Double.isFinite(lr)) continue;
      positive &= lr > 0;
      pts.computeIfAbsent(optOf.get(r.<String>getAs("run_id")), k -> new ArrayList<>())
          .add(new double[] {r.<Long>getAs("step"), lr});
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (List<double[]> l : pts.values()) for (double[] p : l) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
    boolean logY = positive && hi / lo > 20;
    XYChart chart = LineChart.chart(title + " — " + j.name(), "step", "learning rate", false, logY);
    for (Map.Entry<String, List<double[]>> e : pts.entrySet()) {
      List<double[]> l = thin(e.getValue(), 2000);
      double[] x = new double[l.size()];
      double[] y = new double[l.size()];
      for (int i = 0; i < l.size(); i++) {
        x[i] = l.get(i)[0];
        y[i] = l.get(i)[1];
      }
      XYSeries s = LineChart.line(chart, e.getKey() + " (" + labelOfBest(j, e.getKey()) + ")",
          LineChart.color(order.indexOf(e.getKey())), x, y, false);
      s.setMarker(SeriesMarkers.NONE);
    }
    if (!LineChart.hasData(chart)) return new Figure(file, title, "no learning rates recorded", null);
    return new Figure(file, title, "The learning rate each step used (schedule included), for each optimizer's best "
        + "configuration.", LineChart.png(chart));
  }

  private static String labelOfBest(JobAnalysis j, String optimizer) {
    for (JobAnalysis.OptimizerStat o : j.optimizers) {
      if (o.optimizer().equals(optimizer) && o.best() != null) return o.best().label();
    }
    return optimizer;
  }

  private static List<double[]> thin(List<double[]> pts, int max) {
    if (pts.size() <= max) return pts;
    List<double[]> out = new ArrayList<>();
    double stride = (pts.size() - 1) / (double) (max - 1);
    for (int i = 0; i < max; i++) out.add(pts.get((int) Math.round(i * stride)));
    return out;
  }

  // ---------------------------------------------------------------- sensitivity and profiles

  static List<Figure> sensitivity(JobAnalysis j, List<String> order, String prefix) throws IOException {
    String file = prefix + "sensitivity.png";
    String title = "Hyper-parameter sensitivity";
    Map<String, TreeMap<Double, Double>> lines = new TreeMap<>();
    Map<String, TreeSet<Double>> diverged = new TreeMap<>();
    double top = Double.NEGATIVE_INFINITY;
    boolean positive = true;
    Map<String, String> optimizerOf = new TreeMap<>();
    for (JobAnalysis.ConfigStat c : j.configs) {
      // One line per optimizer, and per model/training variant when the job has several.
      String line = c.variantLabel().isEmpty() ? c.optimizer() : c.optimizer() + " " + c.variantLabel();
      optimizerOf.put(line, c.optimizer());
      if (c.diverged() > 0) {
        diverged.computeIfAbsent(line, k -> new TreeSet<>()).add(c.baseLr());
      } else if (c.medianFinalTrainLoss() != null) {
        double v = c.medianFinalTrainLoss();
        lines.computeIfAbsent(line, k -> new TreeMap<>()).merge(c.baseLr(), v, Math::min);
        top = Math.max(top, v);
        positive &= v > 0;
      }
    }
    if (lines.isEmpty() && diverged.isEmpty()) {
      return List.of(new Figure(file, title, "no configuration has a final loss", null));
    }
    double bottom = Double.POSITIVE_INFINITY;
    for (TreeMap<Double, Double> l : lines.values()) for (double v : l.values()) bottom = Math.min(bottom, v);
    // Log y only over a wide range (XChart labels only the decades of a log axis).
    boolean logY = positive && Double.isFinite(top) && top / bottom > 20;
    double markY = !Double.isFinite(top) ? 1 : logY ? top * 1.5 : top + 0.1 * Math.max(top - bottom, Math.abs(top) * 0.1);
    XYChart chart = LineChart.chart(title + " — " + j.name(), "base learning rate (log)", "final train loss"
        + (logY ? " (log)" : ""), true, logY);
    for (Map.Entry<String, TreeMap<Double, Double>> e : lines.entrySet()) {
      double[] x = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
      // Variants of one optimizer share its colour; every other one (in label order) is dashed.
      String opt = optimizerOf.get(e.getKey());
      List<String> mine = lines.keySet().stream().filter(k -> opt.equals(optimizerOf.get(k))).toList();
      XYSeries s = LineChart.line(chart, e.getKey(), LineChart.color(order.indexOf(opt)), x, y,
          mine.indexOf(e.getKey()) % 2 == 1);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    for (Map.Entry<String, TreeSet<Double>> e : diverged.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = new double[x.length];
      java.util.Arrays.fill(y, markY);
      XYSeries s = chart.addSeries(e.getKey() + " diverged", x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CROSS);
      s.setMarkerColor(LineChart.color(order.indexOf(optimizerOf.get(e.getKey()))));
    }
    return List.of(new Figure(file, title, "Median over seeds of the final train loss against the configuration's "
        + "base lr, one line per optimizer" + (j.variants ? " and model/training variant" : "") + " (at each lr the "
        + "best of its configurations with that lr); a cross at the top marks a configuration with a diverged seed.",
        LineChart.png(chart)));
  }

  static Figure profileFigure(Profiles.Profile p, List<String> order) throws IOException {
    String file = "profile_" + p.metric() + ".png";
    String title = "Performance profile (" + p.metric() + ")";
    if (p.problems().isEmpty() || p.ratios().isEmpty()) return new Figure(file, title, "no problems", null);
    double tauMax = Math.max(10, p.maxFiniteRatio() * 1.5);
    XYChart chart = LineChart.chart(title, "τ (× the fastest optimizer's " + p.metric() + ", log)",
        "fraction of problems reaching the target", true, false);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.05);
    chart.getStyler().setXAxisMin(1.0);
    chart.getStyler().setXAxisMax(tauMax);
    for (Map.Entry<String, double[]> e : p.ratios().entrySet()) {
      TreeSet<Double> taus = new TreeSet<>();
      taus.add(1.0);
      taus.add(tauMax);
      for (double r : e.getValue()) if (Double.isFinite(r)) taus.add(r);
      double[] x = taus.stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) y[i] = p.rho(e.getKey(), x[i]);
      XYSeries s = LineChart.line(chart, e.getKey(), LineChart.color(order.indexOf(e.getKey())), x, y, false);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      s.setMarker(SeriesMarkers.NONE);
    }
    return new Figure(file, title, "", LineChart.png(chart));
  }

  // ---------------------------------------------------------------- formatting

  static String fmt(Double v) {
    if (v == null) return "—";
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
    if (v == Math.rint(v) && Math.abs(v) < 1e9) return String.valueOf(v.longValue());
    String s = String.format(Locale.ROOT, "%.6g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.contains(".")) mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    return e < 0 ? mantissa : mantissa + s.substring(e);
  }

  static String fmt(double v) {
    return fmt(Double.valueOf(v));
  }

  static String csv(Object... values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) b.append(',');
      Object v = values[i];
      if (v == null) continue;
      String s = v.toString();
      if (s.contains(",") || s.contains("\"") || s.contains("\n")) s = "\"" + s.replace("\"", "\"\"") + "\"";
      b.append(s);
    }
    return b.append('\n').toString();
  }
}
