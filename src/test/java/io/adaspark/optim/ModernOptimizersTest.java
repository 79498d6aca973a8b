package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules of the modern optimizers worked by hand on tiny inputs (first steps, the zero-norm and
 * zero-denominator rules, torch's lerp), the block layout, and sized state buffers.
 */
class ModernOptimizersTest {
  private static OptimizerConfig parse(String json) {
    return AllConfigs.parse(json);
  }

  @Test
  void lionFirstStepIsTheSignPlusDecoupledDecay() {
    Optimizer o = parse("{\"type\":\"lion\",\"lr\":0.1,\"weight_decay\":0.5}").create(3);
    double[] theta = {1.0, -2.0, 3.0};
    o.step(theta, new double[] {0.3, 0.0, -7.0}, 0.1);
    // u = sign(g) + 0.5*theta; theta - 0.1*u
    assertArrayEquals(new double[] {1.0 - 0.1 * (1 + 0.5), -2.0 - 0.1 * (0 - 1.0), 3.0 - 0.1 * (-1 + 1.5)}, theta, 1e-15);
    // m = (1 - 0.99) g, so the second step's c = 0.1 g' + 0.9*0.01*g: a tiny g' of the other sign does not flip it.
    double[] before = theta.clone();
    o.step(theta, new double[] {-1e-4, 0.0, 1e-3}, 0.1);
    assertEquals(before[0] - 0.1 * (1 + 0.5 * before[0]), theta[0], 1e-15);
    assertEquals(before[2] - 0.1 * (-1 + 0.5 * before[2]), theta[2], 1e-15);
  }

  @Test
  void lambMovesEachBlockByLrTimesItsNormAndKeepsRatioOneForZeroBlocks() {
    ParamBlocks layout = ParamBlocks.of("w", new int[] {2}, "b", new int[] {1});
    Optimizer o = parse("{\"type\":\"lamb\",\"lr\":0.1}").create(layout);
    double[] theta = {3.0, 4.0, 0.0};
    o.step(theta, new double[] {1.0, -1.0, 2.0}, 0.1);
    // first step: u = g/(|g| + eps) ~ sign(g); block w: ||theta|| = 5, ||u|| = sqrt(2)*(1/(1+1e-6)); b: zero norm -> r = 1
    double u = 1 / (1 + 1e-6);
    double r = 5 / Math.sqrt(2 * u * u);
    assertArrayEquals(new double[] {r, 1.0}, o.lastStep().get("trust_ratio"), 1e-12);
    assertArrayEquals(new double[] {3.0 - 0.1 * u * r, 4.0 + 0.1 * u * r, -0.1 * 2 / (2 + 1e-6)}, theta, 1e-12);
    assertEquals(0.1 * 5, Math.hypot(theta[0] - 3.0, theta[1] - 4.0), 1e-12, "the block moved by lr*||theta_B||");
  }

  @Test
  void larsZeroNormRuleUsesOneNotTheTrustCoefficient() {
    ParamBlocks layout = ParamBlocks.of("w", new int[] {2}, "b", new int[] {1});
    Optimizer o = parse("{\"type\":\"lars\",\"lr\":2}").create(layout);
    double[] theta = {3.0, 4.0, 0.0};
    o.step(theta, new double[] {0.0, 0.5, 0.25}, 2);
    // w: r = 1e-3*5/0.5 = 0.01; b: ||theta_b|| = 0 -> r = 1
    assertArrayEquals(new double[] {0.01, 1.0}, o.lastStep().get("trust_ratio"), 1e-15);
    assertArrayEquals(new double[] {3.0, 4.0 - 2 * 0.5 * 0.01, -2 * 0.25}, theta, 1e-15);
  }

  @Test
  void adafactorFirstStepOfAVectorBlockIsRelativeSign() {
    Optimizer o = parse("{\"type\":\"adafactor\"}").create(2);
    double[] theta = {3.0, -4.0};
    o.step(theta, new double[] {0.2, 0.5}, 0.01);
    // w_1 = 1: V = g^2, U = sign(g); RMS(U) = 1 -> no clipping; alpha = RMS(theta)*min(0.01, 1) = sqrt(12.5)*0.01
    double alpha = Math.sqrt(12.5) * 0.01;
    assertArrayEquals(new double[] {3.0 - alpha, -4.0 - alpha}, theta, 1e-15);
    assertArrayEquals(new double[] {1.0}, o.lastStep().get("clip_denom"), 0.0);
  }

  @Test
  void adafactorFactorsMatricesAndALeadingDimensionOfOneChangesNothing() {
    Adafactor.Config c = (Adafactor.Config) parse("{\"type\":\"adafactor\",\"lr\":0.1}");
    Adafactor flat = c.create(ParamBlocks.of("W", new int[] {2, 3}, "b", new int[] {2}));
    Adafactor lead = c.create(ParamBlocks.of("W", new int[] {1, 2, 3}, "b", new int[] {2}));
    assertEquals(2 + 3 + 2, flat.stateSize(), "R + C for the matrix, 2 for the vector");
    assertEquals(8, c.create(8).stateSize(), "no layout: one vector block");
    double[] a = {0.5, -1, 2, 0.25, 1, -0.75, 0.1, 0.2};
    double[] b = a.clone();
    for (int k = 0; k < 5; k++) {
      double[] g = new double[8];
      for (int i = 0; i < 8; i++) g[i] = Math.sin(3 * i + k) * (i + 1);
      flat.step(a, g, 0.1);
      lead.step(b, g, 0.1);
    }
    assertArrayEquals(a, b, 0.0);
  }

  @Test
  void prodigyKeepsD0OnTheFirstStepAndSkipsZeroDenominators() {
    Prodigy p = (Prodigy) parse("{\"type\":\"prodigy\"}").create(2);
    double[] theta = {1.0, 2.0};
    p.step(theta, new double[] {0.0, 0.0}, 1.0); // d_denom = 0: returns before touching theta or d
    assertArrayEquals(new double[] {1.0, 2.0}, theta, 0.0);
    assertEquals(1e-6, p.d(), 0.0);
    p.step(theta, new double[] {1.0, -2.0}, 1.0);
    // theta = p0 still: d_hat = 0, d = d0; m = d0*0.1*g, v = d0^2*0.001*g^2 -> step = -d0*m/(sqrt(v) + d0*eps)
    //   = -d0*0.1*sign(g)/(sqrt(0.001) + eps/|g|), about 3.16*d0 per element
    assertEquals(1e-6, p.d(), 0.0);
    assertArrayEquals(new double[] {0.0}, p.lastStep().get("d_hat"), 0.0);
    assertArrayEquals(new double[] {1.0 - 1e-7 / (Math.sqrt(0.001) + 1e-8), 2.0 + 1e-7 / (Math.sqrt(0.001) + 0.5e-8)},
        theta, 1e-15);
    double[] before = theta.clone();
    p.step(theta, new double[] {1.0, -2.0}, 0.0); // lr 0: the reference skips the step entirely
    assertArrayEquals(before, theta, 0.0);
  }

  @Test
  void adanFirstStepHasNoGradientDifferenceAndAProximalDecay() {
    Optimizer o = parse("{\"type\":\"adan\",\"lr\":0.01,\"weight_decay\":0.5}").create(2);
    double[] theta = {1.0, -1.0};
    o.step(theta, new double[] {2.0, -0.5}, 0.01);
    // m = 0.02 g, dm = 0, n = 0.01 g^2; denom = |g| + eps; theta - (0.01/0.02)*m/denom, then /(1 + 0.005)
    double[] expected = {(1.0 - 0.01 * 2 / (2 + 1e-8)) / 1.005, (-1.0 + 0.01 * 0.5 / (0.5 + 1e-8)) / 1.005};
    assertArrayEquals(expected, theta, 1e-15);
  }

  @Test
  void scheduleFreeFirstStepPutsXYZTogetherAndTorchLerpsSecondBranch() {
    Optimizer o = parse("{\"type\":\"schedulefree_sgd\",\"lr\":0.1,\"momentum\":0.5}").create(1);
    double[] y = {1.0};
    assertEquals(y, o.evaluationPoint(y), "before the first step x is theta itself");
    o.step(y, new double[] {2.0}, 0.1);
    assertEquals(0.8, y[0], 1e-15); // c = 1: y = z = x = x0 - lr*g
    assertEquals(0.8, o.evaluationPoint(y)[0], 1e-15);
    o.step(y, new double[] {1.0}, 0.1);
    // c = 1/2: y = lerp(0.8, 0.8, 0.5) + 0.1*(0.5*0.5 - 1)*1 = 0.725; z = 0.7; x = lerp(y, z, -1) = 2y - z = 0.75
    assertEquals(0.725, y[0], 1e-15);
    assertEquals(0.75, o.evaluationPoint(y)[0], 1e-15);
    assertEquals(0.5, o.lastStep().get("ckp1")[0], 0.0);
    assertEquals(1.0, Params.lerp(0.0, 1.0, 1.0), 0.0);
    assertEquals(-1.0, Params.lerp(0.0, 1.0, -1.0), 0.0);
    assertEquals("x", o.config().evaluationPoint());
    assertEquals("theta", parse("{\"type\":\"adam\"}").evaluationPoint());
  }

  @Test
  void sizedBuffersRestoreOnlyIntoTheSameLayout() {
    Adafactor.Config c = (Adafactor.Config) parse("{\"type\":\"adafactor\"}");
    OptimizerState s = c.create(ParamBlocks.of("W", new int[] {2, 3})).saveState();
    assertEquals(List.of("col_var", "row_var"), List.copyOf(s.buffers().keySet()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.create(ParamBlocks.of("W", new int[] {3, 2})).restoreState(s));
    assertTrue(e.getMessage().contains("buffer 'col_var' has 3 values, this optimizer's layout needs 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.create(6).restoreState(s));
  }

  @Test
  void blockedOptimizersWithoutALayoutUseOneBlock() {
    Optimizer o = parse("{\"type\":\"lamb\",\"lr\":0.1}").create(3);
    o.step(new double[] {1, 2, 2}, new double[] {1, 1, 1}, 0.1);
    assertEquals(1, o.lastStep().get("trust_ratio").length);
    assertThrows(IllegalArgumentException.class,
        () -> new ParamBlocks(List.of(new ParamBlocks.Block("a", 1, new int[] {2}))));
  }
}
