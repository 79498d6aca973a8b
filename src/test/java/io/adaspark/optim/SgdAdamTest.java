package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-worked steps of SGD (plain, momentum, Nesterov) and Adam (torch and textbook forms). */
class SgdAdamTest {
  private static final double TOL = 1e-15;

  @Test
  void sgdMomentumNoDampeningOnFirstStep() throws Exception {
    OptimizerConfig c = StrictJson.MAPPER.readValue(
        "{\"type\":\"sgd\",\"lr\":0.1,\"momentum\":0.9,\"dampening\":0.5}", OptimizerConfig.class);
    Optimizer o = c.create(2);
    double[] w = {1.0, -2.0};
    o.step(w, new double[] {0.5, 1.0}, 0.1);
    // t=1: buf = g = (0.5, 1.0); w = (1 - 0.05, -2 - 0.1)
    assertArrayEquals(new double[] {0.95, -2.1}, w, TOL);
    o.step(w, new double[] {1.0, -1.0}, 0.1);
    // t=2: buf = 0.9*(0.5, 1.0) + 0.5*(1.0, -1.0) = (0.95, 0.4); w -= 0.1*buf
    assertArrayEquals(new double[] {0.95 - 0.095, -2.1 - 0.04}, w, TOL);
  }

  @Test
  void sgdNesterovWithWeightDecay() throws Exception {
    OptimizerConfig c = StrictJson.MAPPER.readValue(
        "{\"type\":\"sgd\",\"lr\":0.1,\"momentum\":0.5,\"nesterov\":true,\"weight_decay\":0.1}", OptimizerConfig.class);
    Optimizer o = c.create(2);
    double[] w = {1.0, -2.0};
    o.step(w, new double[] {0.5, 1.0}, 0.1);
    // gi = g + 0.1 w = (0.6, 0.8); buf = gi; d = gi + 0.5 buf = (0.9, 1.2)
    assertArrayEquals(new double[] {0.91, -2.12}, w, TOL);
    o.step(w, new double[] {0.0, 0.0}, 0.1);
    // gi = 0.1 w = (0.091, -0.212); buf = 0.5*(0.6, 0.8) + gi = (0.391, 0.188)
    // d = gi + 0.5 buf = (0.2865, -0.118)
    assertArrayEquals(new double[] {0.91 - 0.02865, -2.12 + 0.0118}, w, 1e-15);
  }

  @Test
  void adamTorchFormTwoSteps() {
    Optimizer o = Adam.Config.fromJson(0.1, new double[] {0.9, 0.99}, null, null, 1e-8, null, null, null).create(2);
    double[] w = {1.0, 1.0};
    double[] g1 = {2.0, -0.5};
    o.step(w, g1, 0.1);
    // t=1: m = 0.1 g, v = 0.01 g^2; m/(1-0.9) = g; sqrt(v)/sqrt(1-0.99) = |g| -> w -= 0.1 * g/(|g|+eps)
    assertArrayEquals(new double[] {1 - 0.1 * 2 / (2 + 1e-8), 1 + 0.1 * 0.5 / (0.5 + 1e-8)}, w, TOL);
    double[] g2 = {1.0, 0.5};
    double[] before = w.clone();
    o.step(w, g2, 0.1);
    for (int i = 0; i < 2; i++) {
      double m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i];
      double v = 0.99 * 0.01 * g1[i] * g1[i] + 0.01 * g2[i] * g2[i];
      double expected = before[i] - 0.1 / (1 - 0.81) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.9801) + 1e-8);
      assertEquals(expected, w[i], TOL);
    }
    // i.e. m = (0.28, 0.005), v = (0.0496, 0.004975), bc1 = 0.19, bc2 = 0.0199
    assertEquals(2, o.stepCount());
  }

  @Test
  void adamTextbookWithoutBiasCorrection() throws Exception {
    OptimizerConfig c = StrictJson.MAPPER.readValue(
        "{\"type\":\"adam\",\"lr\":0.1,\"beta1\":0.5,\"beta2\":0.75,\"eps\":0,\"bias_correction\":false}",
        OptimizerConfig.class);
    Optimizer o = c.create(2);
    double[] w = {1.0, 0.0};
    o.step(w, new double[] {2.0, -4.0}, 0.1);
    // m = 0.5 g = (1, -2); v = 0.25 g^2 = (1, 4); w -= 0.1 * m/sqrt(v) = 0.1*(1, -1)
    assertArrayEquals(new double[] {0.9, 0.1}, w, TOL);
    o.step(w, new double[] {2.0, 4.0}, 0.1);
    // m = 0.5*(1,-2) + 0.5*(2,4) = (1.5, 1); v = 0.75*(1,4) + 0.25*(4,16) = (1.75, 7)
    assertArrayEquals(new double[] {0.9 - 0.1 * 1.5 / Math.sqrt(1.75), 0.1 - 0.1 * 1 / Math.sqrt(7)}, w, TOL);
  }

  @Test
  void amsgradUsesMaxOfRawV() {
    Optimizer o = Adam.Config.fromJson(0.1, new double[] {0.0, 0.5}, null, null, 0.0, null, true, false).create(1);
    double[] w = {0.0};
    o.step(w, new double[] {2.0}, 0.1); // m = 2, v = 2, vmax = 2
    assertEquals(-0.1 * 2 / Math.sqrt(2), w[0], TOL);
    o.step(w, new double[] {0.5}, 0.1); // m = 0.5, v = 1 + 0.125 = 1.125, vmax = 2
    assertEquals(-0.1 * 2 / Math.sqrt(2) - 0.1 * 0.5 / Math.sqrt(2), w[0], TOL);
  }

  @Test
  void adamwDecaysWithThisStepsLr() {
    Optimizer o = AdamW.Config.fromJson(0.1, new double[] {0.9, 0.999}, null, null, null, 0.5, null, null).create(1);
    double[] w = {2.0};
    o.step(w, new double[] {0.0}, 0.2); // g = 0: only the decay w *= 1 - 0.2*0.5
    assertEquals(1.8, w[0], TOL);
  }
}
