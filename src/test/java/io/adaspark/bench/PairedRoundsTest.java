package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixed method on sides whose rounds return known figures: warm-up rounds discarded, the
 * sides measured in pairs in order, the figures and ratios per round, every attempt kept.
 */
class PairedRoundsTest {
  private static final Measure UNDISTURBED = new Measure(Double.POSITIVE_INFINITY, 0,
      new PrintStream(OutputStream.nullOutputStream()));

  @Test
  void warmupIsDiscardedAndRoundsArePairedInOrder() {
    List<String> calls = new ArrayList<>();
    double[] subject = {9, 9, 0.5, 0.4, 0.6};  // the first two are the warm-up rounds
    double[] anchor = {9, 9, 1.0, 1.2, 0.9};
    int[] i = {0, 0};
    Side s = new Side("adaspark", "subject", (f, n) -> {
      calls.add("s");
      n.put("extra_s", 2 * subject[i[0]]);
      return subject[i[0]++];
    });
    Side a = new Side("anchor", "anchor", (f, n) -> {
      calls.add("a");
      return anchor[i[1]++];
    });
    PairedRounds.Result r = PairedRounds.run(UNDISTURBED, "test", null, List.of(s, a), 2, 3);
    assertEquals(List.of("s", "a", "s", "a", "s", "a", "s", "a", "s", "a"), calls);
    assertArrayEquals(new double[] {0.5, 0.4, 0.6}, r.side(0));
    assertArrayEquals(new double[] {1.0, 1.2, 0.9}, r.side(1));
    // anchor ÷ subject per pair: 2, 3, 1.5
    assertArrayEquals(new double[] {2.0, 3.0, 1.5}, r.ratios(1, 0), 1e-15);
    Map<String, Object> stats = ScaleTables.stats(r.ratios(1, 0));
    assertEquals(1.5, stats.get("min"));
    assertEquals(2.0, stats.get("median"));
    assertEquals(3.0, stats.get("max"));
    // Notes are those of the measured rounds only.
    assertEquals(List.of(1.0, 0.8, 1.2), r.notes().get("extra_s"));
    assertEquals(1, r.attempts().size());
    assertEquals(List.of(0.5, 0.4, 0.6), r.attempts().get(0).get("adaspark"));
    assertEquals(List.of(1.0, 1.2, 0.9), r.attempts().get(0).get("anchor"));
  }

  @Test
  void aDisturbedMeasurementKeepsEveryAttempt() {
    // A threshold below any load: every attempt counts as disturbed, so 1 + 2 retries run.
    Measure always = new Measure(-1.0, 2, new PrintStream(OutputStream.nullOutputStream()));
    int[] c = {0};
    Side s = new Side("adaspark", "subject", (f, n) -> ++c[0]);
    Side a = new Side("anchor", "anchor", (f, n) -> 10.0);
    PairedRounds.Result r = PairedRounds.run(always, "test", null, List.of(s, a), 0, 2);
    if (Double.isNaN(LoadMonitor.between(LoadMonitor.snapshot(), LoadMonitor.snapshot()).disturbance())) return; // no /proc
    assertEquals(3, r.attempts().size());
    assertEquals(List.of(1.0, 2.0), r.attempts().get(0).get("adaspark"));
    assertEquals(List.of(5.0, 6.0), r.attempts().get(2).get("adaspark"));
  }

  @Test
  void noRoundsIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> PairedRounds.run(UNDISTURBED, "test", null, List.of(), 0, 0));
  }
}
