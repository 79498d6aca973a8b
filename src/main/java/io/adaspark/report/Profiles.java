package io.adaspark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dolan–Moré performance profiles. A problem is a (job, seed) pair; t(p, s) is the time (steps
 * or seconds) optimizer s's best configuration needs to reach the job's target with that
 * seed, +infinity if it never does (or diverged, or has no such run). The ratio is
 * r(p, s) = t(p, s) / min over s of t(p, s) (+infinity when s never reaches the target; 1 when
 * the best time is 0 and s's is 0 too), and rho_s(tau) = |{p : r(p, s) <= tau}| / |P|.
 * {@link Profile#score} integrates it into one number per optimizer (AlgoPerf).
 */
final class Profiles {
  private Profiles() {}

  record Problem(String job, long seed) {}

  /** ratios.get(optimizer)[i] = r(problem i, optimizer). */
  record Profile(String metric, List<Problem> problems, Map<String, double[]> ratios) {
    double rho(String optimizer, double tau) {
      double[] r = ratios.get(optimizer);
      if (r.length == 0) return 0;
      int n = 0;
      for (double x : r) if (x <= tau) n++;
      return (double) n / r.length;
    }

    /**
     * AlgoPerf's integrated performance-profile score B = 1/(r_max − 1)·∫₁^{r_max} ρ(τ) dτ. As ρ
     * is a step function of the ratios, ∫₁^{r_max} 1[r ≤ τ] dτ = r_max − r for r ≤ r_max (and 0
     * beyond), so B = mean over problems of max(0, r_max − r)/(r_max − 1): 1 when the optimizer
     * is fastest on every problem, 0 when it never comes within r_max of the fastest.
     */
    double score(String optimizer, double rMax) {
      double[] r = ratios.get(optimizer);
      if (r.length == 0) return 0;
      double s = 0;
      for (double x : r) if (x <= rMax) s += rMax - Math.max(1, x);
      return s / r.length / (rMax - 1);
    }

    double maxFiniteRatio() {
      double m = 1;
      for (double[] r : ratios.values()) for (double x : r) if (Double.isFinite(x)) m = Math.max(m, x);
      return m;
    }
  }

  static Profile of(List<JobAnalysis> jobs, boolean seconds) {
    TreeSet<String> optimizers = new TreeSet<>();
    for (JobAnalysis j : jobs) for (JobAnalysis.OptimizerStat o : j.optimizers) optimizers.add(o.optimizer());
    List<Problem> problems = new ArrayList<>();
    List<Map<String, Double>> times = new ArrayList<>();
    for (JobAnalysis j : jobs) {
      for (long seed : j.seeds) {
        problems.add(new Problem(j.name(), seed));
        Map<String, Double> t = new LinkedHashMap<>();
        for (String o : optimizers) t.put(o, time(j, o, seed, seconds));
        times.add(t);
      }
    }
    Map<String, double[]> ratios = new LinkedHashMap<>();
    for (String o : optimizers) ratios.put(o, new double[problems.size()]);
    for (int p = 0; p < problems.size(); p++) {
      double best = Double.POSITIVE_INFINITY;
      for (double v : times.get(p).values()) best = Math.min(best, v);
      for (String o : optimizers) {
        double t = times.get(p).get(o);
        double r;
        if (!Double.isFinite(t)) r = Double.POSITIVE_INFINITY;
        else if (best == 0) r = t == 0 ? 1 : Double.POSITIVE_INFINITY;
        else r = t / best;
        ratios.get(o)[p] = r;
      }
    }
    return new Profile(seconds ? "seconds" : "steps", problems, ratios);
  }

  private static double time(JobAnalysis j, String optimizer, long seed, boolean seconds) {
    for (JobAnalysis.OptimizerStat o : j.optimizers) {
      if (!o.optimizer().equals(optimizer) || o.best() == null) continue;
      for (JobAnalysis.RunStat r : o.best().runs()) {
        if (r.seed() != seed || r.stepsToTarget() == null) continue;
        if (!seconds) return r.stepsToTarget();
        return r.secondsToTarget() == null ? Double.POSITIVE_INFINITY : r.secondsToTarget();
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
