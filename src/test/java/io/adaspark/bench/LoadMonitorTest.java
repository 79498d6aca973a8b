package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as a disturbance of a measurement: other processes' CPU and the hypervisor's steal. */
class LoadMonitorTest {
  @Test
  void stealCountsAsDisturbance() {
    LoadMonitor.Load busyHost = new LoadMonitor.Load("0.1", "0.1", 0.02, 10, List.of(), 0.33);
    assertEquals(0.35, busyHost.disturbance(), 1e-12);
    LoadMonitor.Load unknownSteal = new LoadMonitor.Load("0.1", "0.1", 0.02, 10, List.of(), Double.NaN);
    assertEquals(0.02, unknownSteal.disturbance(), 0.0);
  }

  @Test
  void everyAttemptRecordsOthersAndSteal() {
    // A threshold below 0 cores makes every attempt disturbed (on Linux, where the load is known).
    Measure m = new Measure(-1, 2, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    int[] calls = {0};
    Measure.Result<Integer> r = m.run("x", () -> ++calls[0]);
    assertEquals(3, r.attempts());
    assertEquals(3, r.othersPerAttempt().size());
    assertEquals(3, r.stealPerAttempt().size());
  }
}
