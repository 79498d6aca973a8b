package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.adaspark.optim.Sgd;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import io.adaspark.train.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a committed run's summary keeps: its final evaluation row, and in a multi-fidelity sweep
 * its rows at the rung steps (the rung decisions of {@link RungSweep} read them from summaries of
 * runs committed before the rung), nothing else.
 */
class CommittedRunTest {
  /** Steps 0..12, evaluated every 4 (train loss at 0, 4, 8, 12 = 0.7 - step/100), diverged after 12. */
  static RunResult run() {
    List<MetricRow> rows = new ArrayList<>();
    for (int k = 0; k <= 12; k++) {
      Double loss = k % 4 == 0 ? 0.7 - k / 100.0 : null;
      rows.add(new MetricRow(k, k / 4.0, 8L * k, null, null, loss, loss, null, null, null, null, k, 0.2, 0.05,
          null, null));
    }
    return new RunResult("r", new RunSpec(Sgd.Config.fromJson(0.3, null, null, null, null), null, null), 9L,
        "finished", 12, "", rows, 3.0, null, null);
  }

  @Test
  void aSummaryKeepsTheFinalEvaluationAndTheRungRowsOnly() {
    RunResult full = run();
    CommittedRun plain = CommittedRun.of(full, "p", "/d");
    assertEquals(List.of(12L), plain.summary().rows().stream().map(MetricRow::step).toList());
    assertEquals(13, plain.metricRows());
    // rungs at steps 4 and 8 (evaluations) and 6 (not one): kept in step order, the final evaluation last
    CommittedRun rungs = CommittedRun.of(full, "p", "/d", Set.of(4L, 6L, 8L, 40L));
    assertEquals(List.of(4L, 6L, 8L, 12L), rungs.summary().rows().stream().map(MetricRow::step).toList());
    assertSame(full.rows().get(12), rungs.summary().finalEval());
    assertEquals(0.7 - 4 / 100.0, rungs.summary().rows().get(0).trainLoss());
    assertEquals(13, rungs.metricRows());
  }
}
