package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Save mid-trajectory, restore into a fresh optimizer, continue: bit-identical to no interruption. */
class SaveRestoreTest {
  static Stream<String> configs() {
    return AllConfigs.jsonWithStateSize().keySet().stream();
  }

  /** A deterministic gradient sequence (noisy quadratic, some exact zeros) at step k. */
  private static void gradient(double[] theta, int k, double[] g) {
    Random r = new Random(1000 + k);
    for (int i = 0; i < theta.length; i++) g[i] = (i == 3) ? 0 : (i + 1) * theta[i] + 0.3 * r.nextGaussian();
  }

  private static double lr(int k) {
    return 0.02 * Math.pow(0.97, k);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void restoreThenContinueIsBitIdentical(String json) {
    OptimizerConfig c = AllConfigs.parse(json);
    int n = 7;
    double[] start = {1.0, -2.0, 0.5, 3.0, -0.25, 0.0, 2.0};
    double[] g = new double[n];

    Optimizer straight = c.create(n);
    double[] a = start.clone();
    for (int k = 0; k < 12; k++) {
      gradient(a, k, g);
      straight.step(a, g, lr(k));
    }

    Optimizer first = c.create(n);
    double[] b = start.clone();
    for (int k = 0; k < 5; k++) {
      gradient(b, k, g);
      first.step(b, g, lr(k));
    }
    OptimizerState saved = first.saveState();
    double[] checkpoint = b.clone();
    for (int k = 5; k < 8; k++) { // the saved state must not follow later steps
      gradient(b, k, g);
      first.step(b, g, lr(k));
    }
    Optimizer resumed = c.create(n);
    resumed.restoreState(saved);
    assertEquals(5, resumed.stepCount());
    b = checkpoint;
    for (int k = 5; k < 12; k++) {
      gradient(b, k, g);
      resumed.step(b, g, lr(k));
    }
    assertEquals(12, resumed.stepCount());
    assertArrayEquals(a, b, 0.0, json); // delta 0: bit-identical
    assertEquals(toBits(straight.saveState()), toBits(resumed.saveState()));
    assertEquals(c.stateSizePerParam(), saved.buffers().size(), "one buffer per state double per parameter");
  }

  private static Map<String, String> toBits(OptimizerState s) {
    Map<String, String> m = new HashMap<>();
    s.buffers().forEach((k, v) -> m.put(k, java.util.Arrays.toString(v)));
    s.scalars().forEach((k, v) -> m.put(k, Long.toHexString(Double.doubleToRawLongBits(v))));
    m.put("step", Long.toString(s.step()));
    return m;
  }

  @Test
  void savedStateIsADeepCopy() {
    Optimizer o = AllConfigs.parse("{\"type\":\"adam\"}").create(2);
    o.step(new double[] {1, 2}, new double[] {1, 1}, 0.1);
    OptimizerState s = o.saveState();
    double m0 = s.buffers().get("exp_avg")[0];
    o.step(new double[] {1, 2}, new double[] {1, 1}, 0.1);
    assertEquals(m0, s.buffers().get("exp_avg")[0]);
    assertNotEquals(m0, o.saveState().buffers().get("exp_avg")[0]);
  }

  @Test
  void restoreChecksTypeAndLength() {
    OptimizerState adam = AllConfigs.parse("{\"type\":\"adam\"}").create(3).saveState();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AllConfigs.parse("{\"type\":\"radam\"}").create(3).restoreState(adam));
    assertEquals("cannot restore radam state from a saved 'adam' state", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> AllConfigs.parse("{\"type\":\"adam\"}").create(4).restoreState(adam));
    assertEquals("cannot restore adam state: buffer 'exp_avg' has 3 values, this optimizer has 4 parameters",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> AllConfigs.parse("{\"type\":\"adam\",\"amsgrad\":true}").create(3).restoreState(adam));
    assertTrue(e.getMessage().contains("max_exp_avg_sq"), e.getMessage());
  }

  @Test
  void nadamRestoresItsMuProduct() {
    Optimizer o = AllConfigs.parse("{\"type\":\"nadam\"}").create(1);
    o.step(new double[] {1}, new double[] {1}, 0.1);
    double p = o.saveState().scalars().get("mu_product");
    assertEquals(0.9 * (1 - 0.5 * Math.pow(0.96, 0.004)), p, 0.0);
  }
}
