package io.adaspark.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;

/**
 * The report's comparisons beyond medians: paired per-seed comparisons of the optimizers' best
 * configurations ({@link Paired}) and the expected best result after n random-search trials
 * ({@link TuningBudget}).
 */
final class Comparisons {
  private Comparisons() {}

  /** The metrics compared per seed (lower is better), with how the report names them. */
  private static final Map<String, String> PAIRED = new LinkedHashMap<>();

  static {
    PAIRED.put("final_train_loss", "final train loss");
    PAIRED.put("final_test_loss", "final test loss");
  }

  static Double value(JobAnalysis.RunStat r, String metric) {
    return switch (metric) {
      case "final_train_loss" -> r.finalTrainLoss();
      case "final_test_loss" -> r.finalTestLoss();
      case "final_validation_loss" -> r.id().finalValidationLoss();
      case "final_validation_accuracy" -> r.id().finalValidationAccuracy();
      default -> throw new IllegalArgumentException(metric);
    };
  }

  /** Header of {@code pairwise.csv}. */
  static final String PAIRWISE_HEADER =
      "job,metric,optimizer_a,optimizer_b,seeds,a_wins,b_wins,ties,prob_a_better,sign_test_p,wilcoxon_p\n";

  /**
   * Every pair of optimizers with a best configuration, over the seeds both best configurations
   * have a finite value for: {@code pairwise.csv} rows and a Markdown section.
   */
  static void pairwise(StringBuilder md, StringBuilder csv, JobAnalysis j, String h) {
    List<JobAnalysis.OptimizerStat> opts = new ArrayList<>();
    for (JobAnalysis.OptimizerStat o : j.optimizers) if (o.best() != null) opts.add(o);
    md.append(h).append(" Paired comparisons\n\n");
    if (opts.size() < 2) {
      md.append("Fewer than two optimizers have a best configuration: nothing to compare.\n\n");
      return;
    }
    md.append("Each optimizer's best configuration against each other's, seed by seed (runs with the same seed "
        + "share the initial point and the mini-batch sequence). P(A better): the fraction of shared seeds on which "
        + "A's value is lower (ties count half); p-values: two-sided exact sign test and Wilcoxon signed-rank test "
        + "of the per-seed differences. With n seeds the smallest possible two-sided p-value is 2/2ⁿ (0.25 for 3 "
        + "seeds). `pairwise.csv` has every metric.\n\n");
    md.append("| A | B | seeds | P(A better) train loss | sign p | Wilcoxon p | P(A better) test loss | sign p "
        + "| Wilcoxon p |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int x = 0; x < opts.size(); x++) {
      for (int y = x + 1; y < opts.size(); y++) {
        JobAnalysis.OptimizerStat a = opts.get(x);
        JobAnalysis.OptimizerStat b = opts.get(y);
        StringBuilder row = new StringBuilder("| " + a.optimizer() + " | " + b.optimizer() + " | ");
        boolean first = true;
        for (Map.Entry<String, String> metric : PAIRED.entrySet()) {
          double[][] ab = shared(a.best(), b.best(), metric.getKey());
          int n = ab[0].length;
          int wins = 0;
          int losses = 0;
          double[] d = new double[n];
          for (int i = 0; i < n; i++) {
            d[i] = ab[0][i] - ab[1][i];
            if (d[i] < 0) wins++;
            else if (d[i] > 0) losses++;
          }
          double pi = Paired.probabilityOfImprovement(ab[0], ab[1]);
          double sign = Paired.signTest(wins, losses);
          double wil = Paired.wilcoxon(d);
          if (first) row.append(n).append(" | ");
          first = false;
          if (n == 0) {
            row.append("— | — | — | ");
          } else {
            row.append(Report.fmt(pi)).append(" | ").append(Report.fmt(sign)).append(" | ")
                .append(Report.fmt(wil)).append(" | ");
          }
          csv.append(Report.csv(j.name(), metric.getKey(), a.optimizer(), b.optimizer(), n, wins, losses,
              n - wins - losses, n == 0 ? null : pi, n == 0 ? null : sign, n == 0 ? null : wil));
        }
        md.append(row.toString().stripTrailing()).append("\n");
      }
    }
    md.append("\n");
  }

  /** The values of two configurations on the seeds both have a finite value for, in seed order. */
  static double[][] shared(JobAnalysis.ConfigStat a, JobAnalysis.ConfigStat b, String metric) {
    Map<Long, Double> av = new TreeMap<>();
    for (JobAnalysis.RunStat r : a.runs()) {
      Double v = value(r, metric);
      if (v != null && Double.isFinite(v)) av.put(r.seed(), v);
    }
    List<double[]> pairs = new ArrayList<>();
    Map<Long, Double> bv = new TreeMap<>();
    for (JobAnalysis.RunStat r : b.runs()) {
      Double v = value(r, metric);
      if (v != null && Double.isFinite(v)) bv.put(r.seed(), v);
    }
    for (Map.Entry<Long, Double> e : av.entrySet()) {
      if (bv.containsKey(e.getKey())) pairs.add(new double[] {e.getValue(), bv.get(e.getKey())});
    }
    double[][] out = new double[2][pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      out[0][i] = pairs.get(i)[0];
      out[1][i] = pairs.get(i)[1];
    }
    return out;
  }

  /** Header of {@code tuning_budget.csv}. */
  static final String BUDGET_HEADER = "job,optimizer,metric,trials,n,expected_best,std\n";

  /**
   * For every optimizer with random-search configurations (a {@code trial} number): the
   * expected best value of the selection metric after n = 1..N trials, a trial's value being its
   * configuration's median over seeds. Trials with a diverged seed or no value are left out (N
   * counts the others). Returns the figure, or a figure without PNG saying why not.
   */
  static Report.Figure tuningBudget(StringBuilder md, StringBuilder csv, JobAnalysis j, List<String> order,
                                    String prefix, String h) throws IOException {
    String file = prefix + "tuning_budget.png";
    String title = "Tuning budget";
    String metric = switch (j.selectBy) {
      case "validation_loss" -> "final_validation_loss";
      case "validation_accuracy" -> "final_validation_accuracy";
      default -> "final_train_loss";
    };
    boolean lower = !metric.equals("final_validation_accuracy");
    Map<String, List<Double>> trials = new TreeMap<>();
    Map<String, Integer> left = new TreeMap<>();
    // With model/training variants, the trials of the variant of the optimizer's best
    // configuration (the variants are a grid, not draws).
    Map<String, String> variantOf = new TreeMap<>();
    for (JobAnalysis.OptimizerStat o : j.optimizers) {
      if (o.best() != null) variantOf.put(o.optimizer(), o.best().model() + "\u0000" + o.best().training());
    }
    for (JobAnalysis.ConfigStat c : j.configs) {
      if (c.runs().get(0).id().trial() == null) continue;
      String v0 = variantOf.get(c.optimizer());
      if (v0 != null && !v0.equals(c.model() + "\u0000" + c.training())) continue;
      Double v = c.diverged() > 0 ? null : switch (metric) {
        case "final_validation_loss" -> c.medianFinalValidationLoss();
        case "final_validation_accuracy" -> c.medianFinalValidationAccuracy();
        default -> c.medianFinalTrainLoss();
      };
      if (v == null) {
        left.merge(c.optimizer(), 1, Integer::sum);
      } else {
        trials.computeIfAbsent(c.optimizer(), k -> new ArrayList<>()).add(v);
      }
    }
    md.append(h).append(" Tuning budget\n\n");
    if (trials.isEmpty()) {
      md.append("No random-search configurations (optimizer entries with `samples`): no tuning-budget curve.\n\n");
      return new Report.Figure(file, title, "no random-search configurations", null);
    }
    md.append("Expected best ").append(metric.replace('_', ' ')).append(" after n random-search trials (Dodge et al. "
        + "2019): from the N trials of an optimizer, each the median over seeds of one sampled configuration, "
        + "E[best of n] = Σᵢ vᵢ·[((N−i+1)/N)ⁿ − ((N−i)/N)ⁿ] over the sorted values (best first); ± one standard "
        + "deviation. Trials with a diverged seed are left out of N" + (j.variants ? "; with several model/training "
        + "variants, the trials of the best configuration's variant" : "") + ". `tuning_budget.csv` has every point.\n\n");
    md.append("| optimizer | trials N | left out | E[best of 1] | E[best of N] |\n|---|--:|--:|--:|--:|\n");
    XYChart chart = null;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    Map<String, TuningBudget.Point[]> curves = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : trials.entrySet()) {
      TuningBudget.Point[] pts = TuningBudget.curve(e.getValue().stream().mapToDouble(Double::doubleValue).toArray(),
          lower);
      curves.put(e.getKey(), pts);
      for (TuningBudget.Point p : pts) {
        csv.append(Report.csv(j.name(), e.getKey(), metric, pts.length, p.n(), p.expected(), p.std()));
        lo = Math.min(lo, p.expected() - p.std());
        hi = Math.max(hi, p.expected() + p.std());
      }
      md.append("| ").append(e.getKey()).append(" | ").append(pts.length).append(" | ")
          .append(left.getOrDefault(e.getKey(), 0)).append(" | ")
          .append(Report.fmt(pts[0].expected())).append(" ± ").append(Report.fmt(pts[0].std())).append(" | ")
          .append(Report.fmt(pts[pts.length - 1].expected())).append(" ± ")
          .append(Report.fmt(pts[pts.length - 1].std())).append(" |\n");
    }
    md.append("\n");
    boolean logY = lower && lo > 0 && hi / lo > 10;
    chart = LineChart.chart(title + " — " + j.name(), "random-search trials n", "expected best "
        + metric.replace('_', ' ') + (logY ? " (log)" : ""), false, logY);
    for (Map.Entry<String, TuningBudget.Point[]> e : curves.entrySet()) {
      TuningBudget.Point[] pts = e.getValue();
      double[] x = new double[pts.length];
      double[] m = new double[pts.length];
      double[] l = new double[pts.length];
      double[] u = new double[pts.length];
      for (int i = 0; i < pts.length; i++) {
        x[i] = pts[i].n();
        m[i] = pts[i].expected();
        l[i] = pts[i].expected() - pts[i].std();
        u[i] = pts[i].expected() + pts[i].std();
      }
      LineChart.band(chart, e.getKey(), LineChart.color(order.indexOf(e.getKey())), x, m, l, u, false, logY);
    }
    if (!LineChart.hasData(chart)) return new Report.Figure(file, title, "no finite values to plot", null);
    return new Report.Figure(file, title, "Expected best " + metric.replace('_', ' ') + " after n random-search "
        + "trials (line), ± one standard deviation (band), one curve per optimizer.", LineChart.png(chart));
  }
}
