package io.adaspark.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.check.InvalidValueException;
import io.adaspark.optim.StrictJson;
import org.junit.jupiter.api.Test;

/** The wsd schedule against values worked by hand (T = 10, N = 2, decay_fraction 0.3: D = 3, S = 7). */
class WsdLrTest {
  private static LrSchedule parse(String json) throws Exception {
    return StrictJson.MAPPER.readValue(json, LrSchedule.class);
  }

  @Test
  void linearDecayByHand() throws Exception {
    LrSchedule s = parse("{\"type\":\"wsd\",\"total_steps\":10,\"warmup_steps\":2,\"decay_fraction\":0.3}");
    // warm-up 0.1·1/2, 0.1·2/2; stable 0.1 for k = 2..6; decay 0.1·(1 − p), p = 1/3, 2/3, 1
    double[] expected = {0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 * 2 / 3, 0.1 / 3, 0.0};
    for (int k = 0; k < expected.length; k++) assertEquals(expected[k], s.lr(0.1, k), 1e-16, "k = " + k);
    assertEquals(0.0, s.lr(0.1, 15), 0); // past the horizon: the floor
  }

  @Test
  void cosineDecayByHand() throws Exception {
    LrSchedule s = parse("{\"type\":\"wsd\",\"total_steps\":10,\"warmup_steps\":2,\"decay_fraction\":0.3,"
        + "\"decay\":\"cosine\",\"min_factor\":0.1}");
    assertEquals(0.05, s.lr(0.1, 0), 1e-17);
    assertEquals(0.1, s.lr(0.1, 6), 0);
    // p = 1/3: cos(π/3) = 1/2 -> (1 + 1/2)/2 = 0.75 -> 0.1·(0.1 + 0.9·0.75) = 0.0775
    assertEquals(0.0775, s.lr(0.1, 7), 1e-16);
    // p = 2/3: cos(2π/3) = −1/2 -> 0.25 -> 0.1·(0.1 + 0.225) = 0.0325
    assertEquals(0.0325, s.lr(0.1, 8), 1e-16);
    assertEquals(0.01, s.lr(0.1, 9), 1e-17);
  }

  @Test
  void defaultsAndStableLrIndependentOfHorizon() throws Exception {
    WsdLr s = (WsdLr) parse("{\"type\":\"wsd\",\"total_steps\":100}");
    assertEquals(new WsdLr(100, 0, 0.1, "linear", 0), s);
    assertEquals(10, s.decaySteps());
    WsdLr longer = new WsdLr(1000, 0, 0.1, "linear", 0);
    for (int k = 0; k < 90; k++) assertEquals(longer.lr(0.1, k), s.lr(0.1, k), 0, "k = " + k);
  }

  @Test
  void validation() {
    String[][] cases = {
        {"{\"type\":\"wsd\"}", "total_steps"},
        {"{\"type\":\"wsd\",\"total_steps\":10,\"decay_fraction\":0}", "decay_fraction"},
        {"{\"type\":\"wsd\",\"total_steps\":10,\"decay\":\"step\"}", "decay"},
        {"{\"type\":\"wsd\",\"total_steps\":10,\"warmup_steps\":10}", "warmup_steps"},
        {"{\"type\":\"wsd\",\"total_steps\":10,\"min_factor\":2}", "min_factor"},
    };
    for (String[] c : cases) {
      Exception e = assertThrows(Exception.class, () -> parse(c[0]));
      Throwable root = StrictJson.rootCause(e);
      assertInstanceOf(InvalidValueException.class, root, c[0]);
      assertEquals(c[1], ((InvalidValueException) root).field(), c[0]);
      assertTrue(root.getMessage().startsWith("wsd: "), root.getMessage());
    }
  }
}
