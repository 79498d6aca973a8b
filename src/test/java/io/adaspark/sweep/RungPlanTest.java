package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.config.SchedulerSpec;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RungMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rung arithmetic and decisions against sweeps worked by hand, and Li et al.'s Hyperband table. */
class RungPlanTest {
  /** Live configurations at each rung i of a bracket, then at the end: Li et al.'s n_i. */
  private static List<Integer> liveAtRungs(RungPlan.Bracket b) {
    List<Integer> n = new ArrayList<>();
    n.add(b.size());
    for (RungPlan.Rung r : b.rungs()) n.add(r.keep());
    return n;
  }

  private static List<Long> rungSteps(RungPlan.Bracket b, long end) {
    List<Long> s = new ArrayList<>(b.rungs().stream().map(RungPlan.Rung::step).toList());
    s.add(end);
    return s;
  }

  @Test
  void hyperbandBracketsAreLiEtAlsTableForR81Eta3() {
    // Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar 2018 (JMLR), Table 1: R = 81, eta = 3.
    // s = 4: n_i 81 27 9 3 1, r_i 1 3 9 27 81; s = 3: 34 11 3 1 at 3 9 27 81; s = 2: 15 5 1 at 9 27 81;
    // s = 1: 8 2 at 27 81; s = 0: 5 at 81.
    int[][] n = {{81, 27, 9, 3, 1}, {34, 11, 3, 1}, {15, 5, 1}, {8, 2}, {5}};
    long[][] r = {{1, 3, 9, 27, 81}, {3, 9, 27, 81}, {9, 27, 81}, {27, 81}, {81}};
    for (long unit : new long[] {1, 25}) {
      RungPlan plan = RungPlan.of(SchedulerSpec.Hyperband.fromJson(3, unit, null), 81 * unit, 81);
      assertEquals(5, plan.brackets().size());
      for (int b = 0; b < 5; b++) {
        RungPlan.Bracket br = plan.brackets().get(b);
        assertEquals(4 - b, br.s());
        List<Integer> expectN = new ArrayList<>();
        for (int v : n[b]) expectN.add(v);
        assertEquals(expectN, liveAtRungs(br), "bracket s = " + br.s());
        List<Long> expectR = new ArrayList<>();
        for (long v : r[b]) expectR.add(v * unit);
        assertEquals(expectR, rungSteps(br, 81 * unit), "bracket s = " + br.s());
      }
      assertEquals(List.of(unit, 3 * unit, 9 * unit, 27 * unit), plan.rungSteps());
    }
    // Fewer configurations than a bracket asks for: the bracket takes them all.
    RungPlan small = RungPlan.of(SchedulerSpec.Hyperband.fromJson(3, 1L, null), 81, 20);
    assertEquals(List.of(20, 20, 15, 8, 5), small.brackets().stream().map(RungPlan.Bracket::size).toList());
    assertEquals(List.of(20, 6, 2, 1, 1), liveAtRungs(small.brackets().get(0)));
  }

  @Test
  void successiveHalvingRungsAreMinStepsTimesEtaPowersBelowTheBudget() {
    SchedulerSpec sh = SchedulerSpec.SuccessiveHalving.fromJson(3, 25L, null);
    assertEquals(List.of(25L, 75L), RungPlan.of(sh, 225, 9).rungSteps());
    assertEquals(List.of(25L, 75L, 225L), RungPlan.of(sh, 300, 9).rungSteps());
    assertEquals(List.of(25L), RungPlan.of(sh, 75, 9).rungSteps());
    RungPlan p = RungPlan.of(sh, 225, 9);
    assertEquals(1, p.brackets().size());
    // ⌈live/eta⌉ continue: 9 -> 3 -> 1; 10 -> 4 -> 2; 2 -> 1
    assertEquals(3, p.keep(p.brackets().get(0).rungs().get(0), 9));
    assertEquals(1, p.keep(p.brackets().get(0).rungs().get(1), 3));
    assertEquals(4, p.keep(p.brackets().get(0).rungs().get(0), 10));
    assertEquals(1, p.keep(p.brackets().get(0).rungs().get(0), 2));
  }

  static JobSpec nineConfigs(String scheduler) {
    return JobLoader.parse("""
        {"name": "h", "data": {"type": "libsvm", "path": "x.libsvm", "num_features": 3},
         "model": {"type": "logreg"},
         "training": {"batch_size": 4, "steps": 225, "eval_every": 25, "seeds": [1, 2, 3]},
         "optimizers": [{"type": "sgd", "lr": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}],
         "scheduler": %s}
        """.formatted(scheduler), "h.json");
  }

  /** The runs of configuration c (lr = 0.1·(c+1)), seeds 1, 2, 3. */
  private static List<PlannedRun> runsOf(List<PlannedRun> plan, int c) {
    double lr = new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}[c];
    return plan.stream().filter(r -> r.spec().optimizer().lr() == lr).toList();
  }

  private static void put(Map<String, RungState.AtRung> at, List<PlannedRun> runs, double... v) {
    for (int i = 0; i < 3; i++) {
      at.put(runs.get(i).runId(), Double.isNaN(v[i]) ? new RungState.AtRung(null, true) : new RungState.AtRung(v[i], false));
    }
  }

  private static String tie(List<PlannedRun> runs) {
    return runs.stream().map(PlannedRun::runId).min(String::compareTo).orElseThrow();
  }

  @Test
  void nineConfigurationsEtaThreeByHand() {
    JobSpec job = nineConfigs("{\"type\": \"successive_halving\", \"eta\": 3, \"min_steps\": 25}");
    List<PlannedRun> plan = SweepPlan.plan(job);
    assertEquals(27, plan.size());
    SweepConfigurations configs = new SweepConfigurations(job.data(), plan);
    assertEquals(9, configs.size());
    RungState state = new RungState(RungPlan.of(job.scheduler(), 225, 9), configs, RungMetric.TRAIN_LOSS);
    List<List<PlannedRun>> c = new ArrayList<>();
    for (int i = 0; i < 9; i++) c.add(runsOf(plan, i));

    // Rung 0 at step 25, train loss per seed; medians by hand:
    Map<String, RungState.AtRung> at25 = new HashMap<>();
    put(at25, c.get(0), 0.50, 0.40, 0.90);       // 0.50
    put(at25, c.get(1), 0.30, 0.35, 0.31);       // 0.31
    put(at25, c.get(2), Double.NaN, 0.10, 0.10); // a diverged seed: last
    put(at25, c.get(3), 0.45, 0.20, 0.60);       // 0.45
    put(at25, c.get(4), 0.33, 0.33, 0.33);       // 0.33
    put(at25, c.get(5), 0.70, 0.80, 0.75);       // 0.75
    put(at25, c.get(6), 0.31, 0.90, 0.10);       // 0.31 (ties c1)
    put(at25, c.get(7), 0.60, 0.60, 0.60);       // 0.60
    put(at25, c.get(8), 0.33, 0.50, 0.20);       // 0.33 (ties c4: the smaller run id is third)
    RungDecision d25 = state.decide(25, at25);
    state.apply(d25);
    int first = tie(c.get(1)).compareTo(tie(c.get(6))) < 0 ? 1 : 6;
    int third = tie(c.get(4)).compareTo(tie(c.get(8))) < 0 ? 4 : 8;
    int fourth = third == 4 ? 8 : 4;
    List<Integer> expectedOrder = List.of(first, first == 1 ? 6 : 1, third, fourth, 3, 0, 7, 5, 2);
    assertEquals(expectedOrder, d25.rankings().get(0).entries().stream().map(RungDecision.Entry::config).toList());
    assertEquals(3, d25.rankings().get(0).kept());
    for (int i = 0; i < 9; i++) {
      int rank = expectedOrder.indexOf(i) + 1;
      for (PlannedRun r : c.get(i)) {
        String detail = state.stoppedAt(r.runId(), 25);
        if (rank <= 3) {
          assertNull(detail, "configuration " + i);
        } else {
          assertEquals("successive halving: rung 0 at step 25, rank " + rank + " of 9", detail);
        }
        assertNull(state.stoppedAt(r.runId(), 75));
      }
      assertEquals(rank <= 3, state.live(i));
    }

    // Rung 1 at step 75: c1 0.2, c6 0.15, c_third 0.5 -> c6 continues; stopped runs' values are not asked for.
    Map<String, RungState.AtRung> at75 = new HashMap<>();
    put(at75, c.get(1), 0.20, 0.20, 0.20);
    put(at75, c.get(6), 0.10, 0.30, 0.15);
    put(at75, c.get(third), 0.12, 0.50, 0.50);
    RungDecision d75 = state.decide(75, at75);
    state.apply(d75);
    assertEquals(List.of(6, 1, third), d75.rankings().get(0).entries().stream().map(RungDecision.Entry::config).toList());
    assertEquals("successive halving: rung 1 at step 75, rank 2 of 3", state.stoppedAt(c.get(1).get(0).runId(), 75));
    assertEquals("successive halving: rung 1 at step 75, rank 3 of 3", state.stoppedAt(c.get(third).get(2).runId(), 75));
    assertTrue(state.live(6));
    for (int i = 0; i < 9; i++) assertEquals(i == 6, state.live(i));
  }

  @Test
  void accuracyRanksHighestFirst() {
    JobSpec job = nineConfigs("{\"type\": \"successive_halving\", \"min_steps\": 25, \"metric\": \"test_accuracy\"}");
    List<PlannedRun> plan = SweepPlan.plan(job);
    RungState state = new RungState(RungPlan.of(job.scheduler(), 225, 9), new SweepConfigurations(job.data(), plan),
        RungMetric.TEST_ACCURACY);
    Map<String, RungState.AtRung> at = new HashMap<>();
    for (int i = 0; i < 9; i++) put(at, runsOf(plan, i), 0.1 * i, 0.1 * i, 0.1 * i);
    RungDecision d = state.decide(25, at);
    assertEquals(List.of(8, 7, 6), d.rankings().get(0).entries().subList(0, 3).stream()
        .map(RungDecision.Entry::config).toList());
  }
}
