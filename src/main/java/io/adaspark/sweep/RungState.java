package io.adaspark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.RungMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a multi-fidelity sweep stands: which configurations each bracket still holds, and the
 * step at which each dropped configuration stopped, with its status detail. Changes only by
 * {@link #apply} of a {@link RungDecision}; {@link #decide} is a pure function of the metrics at
 * the rung, so a sweep decides the same on any cluster and after {@code --resume}.
 *
 * <p>Ranking at a rung: the median over a configuration's seeds of the metric at the rung step
 * (mean of the two middle values for an even count); configurations with a diverged seed rank
 * after all others (among themselves by that median with diverged seeds as the worst value);
 * ties by the smallest run id of the configuration.
 */
final class RungState {
  /** A run's metric at a rung: null value when it has none (diverged, non-finite). */
  record AtRung(Double value, boolean diverged) {}

  private final RungPlan plan;
  private final SweepConfigurations configs;
  private final RungMetric metric;
  private final BitSet[] live;
  private final long[] stoppedAt;
  private final String[] detail;
  private final List<RungDecision> decisions = new ArrayList<>();

  RungState(RungPlan plan, SweepConfigurations configs, RungMetric metric) {
    this.plan = plan;
    this.configs = configs;
    this.metric = metric;
    this.live = new BitSet[plan.brackets().size()];
    for (int b = 0; b < live.length; b++) {
      live[b] = new BitSet();
      live[b].set(0, plan.brackets().get(b).size());
    }
    this.stoppedAt = new long[configs.size()];
    Arrays.fill(stoppedAt, -1);
    this.detail = new String[configs.size()];
  }

  RungPlan plan() {
    return plan;
  }

  List<RungDecision> decisions() {
    return List.copyOf(decisions);
  }

  boolean decided(long step) {
    return decisions.stream().anyMatch(d -> d.step() == step);
  }

  /** Whether configuration {@code c} is live in some bracket. */
  boolean live(int c) {
    for (BitSet b : live) if (b.get(c)) return true;
    return false;
  }

  /** The detail of a run whose configuration was dropped at {@code step}, else null. */
  String stoppedAt(String runId, long step) {
    SweepConfigurations.Config c = configs.of(runId);
    return c != null && stoppedAt[c.index()] == step ? detail[c.index()] : null;
  }

  /** Ranks every bracket with a rung at {@code step} from the runs' metrics there. */
  RungDecision decide(long step, Map<String, AtRung> atRung) {
    List<RungDecision.Ranking> rankings = new ArrayList<>();
    for (int b = 0; b < live.length; b++) {
      RungPlan.Bracket br = plan.brackets().get(b);
      for (RungPlan.Rung rung : br.rungs()) {
        if (rung.step() != step) continue;
        List<RungDecision.Entry> entries = new ArrayList<>();
        for (int c = live[b].nextSetBit(0); c >= 0; c = live[b].nextSetBit(c + 1)) {
          entries.add(entry(configs.get(c), atRung));
        }
        entries.sort(order());
        rankings.add(new RungDecision.Ranking(b, rung.index(), List.copyOf(entries), plan.keep(rung, entries.size())));
      }
    }
    return new RungDecision(step, List.copyOf(rankings));
  }

  private RungDecision.Entry entry(SweepConfigurations.Config c, Map<String, AtRung> atRung) {
    double worst = metric.higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    double[] v = new double[c.runs().size()];
    boolean diverged = false;
    for (int i = 0; i < v.length; i++) {
      AtRung a = atRung.get(c.runs().get(i).runId());
      boolean bad = a == null || a.diverged() || a.value() == null || !Double.isFinite(a.value());
      diverged |= bad;
      v[i] = bad ? worst : a.value();
    }
    Arrays.sort(v);
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    if (Double.isNaN(median)) median = worst; // +inf + -inf cannot happen; kept for safety
    return new RungDecision.Entry(c.index(), c.tieId(), median, diverged);
  }

  private Comparator<RungDecision.Entry> order() {
    Comparator<RungDecision.Entry> byValue = Comparator.comparingDouble(RungDecision.Entry::median);
    if (metric.higherIsBetter()) byValue = byValue.reversed();
    return Comparator.comparing(RungDecision.Entry::diverged).thenComparing(byValue)
        .thenComparing(RungDecision.Entry::tieId);
  }

  /** Applies a decision: brackets keep their best entries; configurations live in no bracket stop here. */
  void apply(RungDecision d) {
    boolean[] before = new boolean[configs.size()];
    for (int c = 0; c < before.length; c++) before[c] = live(c);
    for (RungDecision.Ranking r : d.rankings()) {
      BitSet keep = new BitSet();
      for (int i = 0; i < r.kept(); i++) keep.set(r.entries().get(i).config());
      live[r.bracket()].and(keep);
    }
    for (int c = 0; c < before.length; c++) {
      if (!before[c] || live(c)) continue;
      stoppedAt[c] = d.step();
      for (RungDecision.Ranking r : d.rankings()) {
        int rank = indexOf(r, c);
        if (rank < 0) continue;
        String where = "rung " + r.rung() + " at step " + d.step() + ", rank " + (rank + 1) + " of "
            + r.entries().size();
        detail[c] = plan.type().equals("hyperband")
            ? "hyperband bracket " + plan.brackets().get(r.bracket()).s() + ", successive halving: " + where
            : "successive halving: " + where;
        break;
      }
    }
    decisions.add(d);
  }

  private static int indexOf(RungDecision.Ranking r, int c) {
    for (int i = 0; i < r.entries().size(); i++) if (r.entries().get(i).config() == c) return i;
    return -1;
  }

  /** The plan, the decisions and the run-steps spent, for the manifest's {@code scheduler}. */
  ObjectNode describe(ObjectMapper mapper, List<RunResult> results) {
    ObjectNode o = mapper.createObjectNode();
    o.put("type", plan.type());
    o.put("eta", plan.eta());
    o.put("min_steps", plan.minSteps());
    o.put("metric", metric.column());
    o.put("steps", plan.steps());
    o.put("configurations", plan.configurations());
    ArrayNode brackets = o.putArray("brackets");
    for (RungPlan.Bracket b : plan.brackets()) {
      ObjectNode bo = brackets.addObject();
      bo.put("s", b.s());
      bo.put("configurations", b.size());
      ArrayNode rungs = bo.putArray("rungs");
      for (RungPlan.Rung r : b.rungs()) rungs.addObject().put("rung", r.index()).put("step", r.step());
    }
    ArrayNode rungs = o.putArray("rungs");
    for (RungDecision d : decisions) {
      for (RungDecision.Ranking r : d.rankings()) {
        ObjectNode ro = rungs.addObject();
        ro.put("step", d.step());
        ro.put("bracket", plan.brackets().get(r.bracket()).s());
        ro.put("rung", r.rung());
        ro.put("live", r.entries().size());
        ro.put("kept", r.kept());
        ArrayNode ranking = ro.putArray("ranking");
        for (RungDecision.Entry e : r.entries()) {
          ObjectNode eo = ranking.addObject();
          ArrayNode ids = eo.putArray("runs");
          for (PlannedRun p : configs.get(e.config()).runs()) ids.add(p.runId());
          if (Double.isFinite(e.median())) eo.put("median", e.median());
          else eo.putNull("median");
          eo.put("diverged", e.diverged());
        }
      }
    }
    long spent = 0;
    long full = 0;
    for (RunResult r : results) {
      spent += r.stepsDone();
      full += r.status().equals("diverged") ? r.stepsDone() : plan.steps();
    }
    o.put("run_steps", spent);
    o.put("run_steps_without_scheduler", full);
    return o;
  }
}
