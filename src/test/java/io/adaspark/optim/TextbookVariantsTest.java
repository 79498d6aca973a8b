package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The course's forms offered as options: Adamax without eps, NAdam "simple" (Adam's is in SgdAdamTest). */
class TextbookVariantsTest {
  private static final double TOL = 1e-15;

  @Test
  void adamaxWithoutEpsLeavesZeroGradientCoordinatesUnchanged() {
    Optimizer o = AllConfigs.parse("{\"type\":\"adamax\",\"lr\":0.1,\"betas\":[0.5,0.5],\"eps\":0}").create(2);
    double[] w = {1.0, 1.0};
    o.step(w, new double[] {2.0, 0.0}, 0.1);
    // m = (1, 0), u = max(0, |g|) = (2, 0); lr/(1-0.5) = 0.2; w0 -= 0.2*1/2; w1: u = 0 -> unchanged (not NaN)
    assertArrayEquals(new double[] {0.9, 1.0}, w, TOL);
    o.step(w, new double[] {-4.0, 0.0}, 0.1);
    // m = 0.5 - 2 = -1.5, u = max(1, 4) = 4; lr/(1-0.25) = 2/15; w0 -= (2/15)(-1.5/4) = -0.05
    assertArrayEquals(new double[] {0.95, 1.0}, w, TOL);
    o.step(w, new double[] {0.5, 3.0}, 0.1);
    // m = (-0.75 + 0.25, 1.5) = (-0.5, 1.5), u = (max(2, 0.5), max(0, 3)) = (2, 3); lr/(1-0.125) = 4/35
    assertArrayEquals(new double[] {0.95 + 1.0 / 35, 1 - 2.0 / 35}, w, TOL);
  }

  @Test
  void nadamSimpleVariant() {
    Optimizer o = AllConfigs.parse(
        "{\"type\":\"nadam\",\"variant\":\"simple\",\"lr\":0.1,\"betas\":[0.5,0.75],\"eps\":0}").create(2);
    double[] w = {1.0, 0.0};
    o.step(w, new double[] {2.0, -4.0}, 0.1);
    // m = (1, -2), v = (1, 4); bc1 = 0.5, bc2 = 0.25: m^ = (2, -4), sqrt(v^) = (2, 4)
    // (b1 m^ + (1-b1) g/bc1) = (1 + 2, -2 - 4) = (3, -6); times lr/sqrt(v^) = (0.05, 0.025)
    assertArrayEquals(new double[] {0.85, 0.15}, w, TOL);
    o.step(w, new double[] {2.0, 4.0}, 0.1);
    // m = (1.5, 1), v = (1.75, 7); bc1 = 0.75, bc2 = 0.4375: m^ = (2, 4/3), sqrt(v^) = (2, 4)
    // (0.5*2 + 0.5*2/0.75, 0.5*4/3 + 0.5*4/0.75) = (7/3, 10/3); times (0.05, 0.025) = (7/60, 1/12)
    assertArrayEquals(new double[] {0.85 - 7.0 / 60, 0.15 - 1.0 / 12}, w, TOL);
  }
}
