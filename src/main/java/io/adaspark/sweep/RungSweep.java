package io.adaspark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.config.JobSpec;
import io.adaspark.train.CohortCheckpoint;
import io.adaspark.train.MetricRow;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.RungMetric;
import io.adaspark.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a sweep with a multi-fidelity {@code scheduler} (successive halving, Hyperband) in
 * segments between rungs. The cohorts are those of a plain sweep; every cohort trains up to the
 * next rung step and pauses there (its checkpoint saved), so that all seeds of every
 * configuration — which are in different cohorts — reach the rung before it is decided (the
 * rung barrier). The decision ({@link RungState#decide}, from the metrics in the checkpoints) is
 * committed to the work directory; the cohorts then resume from their checkpoints, the runs of
 * dropped configurations stop at the rung (status {@code stopped}) and the others continue
 * bit-identically. A cohort with no live run left ends and is committed as usual. After the last
 * rung the cohorts train to the end. {@code --resume} replays the committed decisions and
 * continues from the first rung not yet decided.
 */
final class RungSweep {
  private final JobSpec job;
  private final PartStore store;
  private final RungState state;
  private final RungMetric metric;

  RungSweep(JobSpec job, List<PlannedRun> runs, PartStore store, boolean resume) throws IOException {
    this.job = job;
    this.store = store;
    this.metric = job.scheduler().metric();
    SweepConfigurations configs = new SweepConfigurations(job.data(), runs);
    RungPlan plan = RungPlan.of(job.scheduler(), job.training().steps(), configs.size());
    this.state = new RungState(plan, configs, metric);
    if (resume) for (RungDecision d : store.rungDecisions()) state.apply(d);
  }

  /** The steps of the rungs (a committed run's summary keeps its rows there, {@link CommittedRun}). */
  List<Long> rungSteps() {
    return state.plan().rungSteps();
  }

  /** The manifest's {@code scheduler}: plan, rankings at every rung, run-steps spent. */
  ObjectNode describe(ObjectMapper mapper, List<RunResult> results) {
    return state.describe(mapper, results);
  }

  /**
   * Trains {@code cohorts} segment by segment, deciding each rung not yet decided in between
   * ({@code done}: the runs a previous attempt committed, which count at the rungs); returns the
   * runs committed here, by run id.
   */
  Map<String, CommittedRun> trainAll(CohortTraining training, List<SweepPlan.Cohort> cohorts,
                                     Map<String, CommittedRun> done, PrintStream log) throws IOException {
    Map<String, CommittedRun> trained = new HashMap<>();
    List<SweepPlan.Cohort> pending = new ArrayList<>(cohorts);
    RungPlan plan = state.plan();
    log.printf("scheduler: %s, eta %d, rungs at steps %s, %d configurations in %d bracket(s)%n", plan.type(),
        plan.eta(), plan.rungSteps(), plan.configurations(), plan.brackets().size());
    for (long t : plan.rungSteps()) {
      if (state.decided(t)) continue;
      segment(training, pending, trained, t);
      Map<String, RungState.AtRung> at = new HashMap<>();
      for (SweepPlan.Cohort c : pending) {
        CohortCheckpoint ck = store.checkpoints(c.id()).load();
        if (ck == null || ck.step() != t) throw new IllegalStateException("cohort " + c.id() + " did not pause at " + t);
        for (CohortCheckpoint.RunState r : ck.runs()) {
          at.put(r.runId(), new RungState.AtRung(valueAt(r.rows(), t), r.status().equals("diverged")));
        }
      }
      for (Map<String, CommittedRun> m : List.of(done, trained)) {
        for (CommittedRun c : m.values()) {
          RunResult r = c.summary(); // its rows: the final evaluation and the rung steps'
          at.putIfAbsent(r.runId(), new RungState.AtRung(valueAt(r.rows(), t), r.status().equals("diverged")));
        }
      }
      RungDecision d = state.decide(t, at);
      store.commitRung(d);
      state.apply(d);
      for (RungDecision.Ranking r : d.rankings()) {
        log.printf("rung: step %d%s: %d of %d configurations continue (best %s %s)%n", t,
            plan.brackets().size() > 1 ? " bracket " + plan.brackets().get(r.bracket()).s() : "", r.kept(),
            r.entries().size(), metric.column(),
            r.entries().isEmpty() ? "-" : String.format("%.6g", r.entries().get(0).median()));
      }
    }
    segment(training, pending, trained, -1);
    return trained;
  }

  private Double valueAt(List<MetricRow> rows, long step) {
    for (MetricRow row : rows) if (row.step() == step) return metric.of(row);
    return null;
  }

  /** Trains every pending cohort to {@code pauseAt} (−1: to the end); cohorts that end are committed and removed. */
  private void segment(CohortTraining training, List<SweepPlan.Cohort> pending, Map<String, CommittedRun> trained,
                       long pauseAt) throws IOException {
    Trainer.Rungs hook = new Trainer.Rungs() {
      @Override
      public long pauseAt() {
        return pauseAt;
      }

      @Override
      public String stoppedAt(String runId, long step) {
        return state.stoppedAt(runId, step);
      }
    };
    List<List<CommittedRun>> results = training.train(pending, hook);
    List<SweepPlan.Cohort> ended = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) == null) continue; // paused at the rung
      for (CommittedRun r : results.get(i)) trained.put(r.runId(), r);
      ended.add(pending.get(i));
    }
    pending.removeAll(ended);
  }
}
