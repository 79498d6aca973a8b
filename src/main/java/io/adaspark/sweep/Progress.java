package io.adaspark.sweep;

import io.adaspark.train.RunResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sweep's progress line on stderr, at most about once a second and whenever a cohort ends:
 * runs done / total, the cohort and step being trained, the best train loss so far, and an ETA
 * from the run-steps done so far.
 */
final class Progress {
  private final PrintStream log;
  private final int totalRuns;
  private final int cohortCount;
  private final long startNanos = System.nanoTime();
  private final Map<String, Long> cohortSteps = new ConcurrentHashMap<>();
  private final Map<String, Long> cohortDone = new ConcurrentHashMap<>();
  private final Map<String, Integer> cohortSize = new ConcurrentHashMap<>();
  private int runsDone;
  private double best = Double.NaN;
  private long lastPrint;
  private final List<SweepCohort> all;

  private record SweepCohort(String id, int size) {}

  Progress(PrintStream log, int totalRuns, java.util.Collection<RunResult> done, List<SweepPlan.Cohort> cohorts) {
    this(log, totalRuns, done.size(), cohorts);
    for (RunResult r : done) {
      var last = r.finalEval();
      if (last != null && last.trainLoss() != null && Double.isFinite(last.trainLoss())
          && !(last.trainLoss() >= best)) {
        best = last.trainLoss();
      }
    }
  }

  Progress(PrintStream log, int totalRuns, int runsDone, List<SweepPlan.Cohort> cohorts) {
    this.log = log;
    this.totalRuns = totalRuns;
    this.runsDone = runsDone;
    this.cohortCount = cohorts.size();
    this.all = cohorts.stream().map(c -> new SweepCohort(c.id(), c.runs().size())).toList();
  }

  synchronized void start(SweepPlan.Cohort c, long steps) {
    cohortSteps.put(c.id(), steps);
    cohortSize.put(c.id(), c.runs().size());
    cohortDone.put(c.id(), 0L);
  }

  synchronized void step(SweepPlan.Cohort c, long step, long steps, int live, double bestLoss) {
    cohortDone.put(c.id(), step);
    if (Double.isFinite(bestLoss) && !(bestLoss >= best)) best = bestLoss;
    long now = System.nanoTime();
    if (now - lastPrint > 1_000_000_000L || step == steps) {
      lastPrint = now;
      print(String.format("cohort %d/%d (%d runs, %d live) step %d/%d", c.index() + 1, cohortCount,
          c.runs().size(), live, step, steps));
    }
  }

  synchronized void finish(SweepPlan.Cohort c, List<RunResult> results) {
    runsDone += results.size();
    long diverged = results.stream().filter(r -> r.status().equals("diverged")).count();
    cohortDone.put(c.id(), cohortSteps.getOrDefault(c.id(), 0L));
    print(String.format("cohort %d/%d committed (%d runs, %d diverged)", c.index() + 1, cohortCount,
        results.size(), diverged));
  }

  private void print(String where) {
    // Work is measured in run-steps; cohorts not yet started count with the steps of those started.
    double doneWork = 0;
    double totalWork = 0;
    long typicalSteps = cohortSteps.values().stream().mapToLong(Long::longValue).max().orElse(1);
    for (SweepCohort c : all) {
      long steps = cohortSteps.getOrDefault(c.id(), typicalSteps);
      totalWork += (double) steps * c.size();
      doneWork += (double) cohortDone.getOrDefault(c.id(), 0L) * c.size();
    }
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    String eta = doneWork <= 0 ? "?" : formatSeconds(elapsed * (totalWork - doneWork) / doneWork);
    log.printf("progress: runs %d/%d done | %s | best train loss %s | ETA %s%n", runsDone, totalRuns, where,
        Double.isNaN(best) ? "-" : String.format("%.6g", best), eta);
  }

  private static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 60 ? (t / 60) + "m" + String.format("%02d", t % 60) + "s" : t + "s";
  }
}
