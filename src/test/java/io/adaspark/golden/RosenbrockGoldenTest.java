package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The rosenbrock problem path of the runner, on a golden-format file built here from trajectories
 * computed independently with hand-coded formulas (torch's SGD-momentum and Adam rules).
 */
class RosenbrockGoldenTest {
  static final int T = 4;

  static double loss(double x, double y) {
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
  }

  static double[] grad(double x, double y) {
    return new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
  }

  /** A golden file with an SGD-momentum case (lr 1e-4, momentum 0.9) and an Adam case (lr 0.05). */
  static GoldenJsonBuilder rosenbrockFile() {
    GoldenJsonBuilder b = new GoldenJsonBuilder("rosenbrock", -1.2, 1.0);
    // SGD with momentum 0.9: buf = g at t = 1, then buf = 0.9 buf + g; w -= lr buf
    double x = -1.2, y = 1.0, bx = 0, by = 0;
    double[] loss = new double[T];
    double[][] gs = new double[T][];
    double[][] ps = new double[T][];
    for (int k = 0; k < T; k++) {
      loss[k] = loss(x, y);
      double[] g = grad(x, y);
      gs[k] = g;
      bx = k == 0 ? g[0] : 0.9 * bx + g[0];
      by = k == 0 ? g[1] : 0.9 * by + g[1];
      x -= 1e-4 * bx;
      y -= 1e-4 * by;
      ps[k] = new double[] {x, y};
    }
    b.addCase("sgd_momentum", "SGD", "{\"lr\":1e-4,\"momentum\":0.9,\"dampening\":0,\"weight_decay\":0,"
        + "\"nesterov\":false,\"foreach\":null,\"maximize\":false}", loss, loss(x, y), gs, ps);
    // Adam: m, v with (0.9, 0.999); w -= lr/(1-0.9^t) m / (sqrt(v)/sqrt(1-0.999^t) + 1e-8)
    x = -1.2;
    y = 1.0;
    double mx = 0, my = 0, vx = 0, vy = 0;
    loss = new double[T];
    gs = new double[T][];
    ps = new double[T][];
    for (int k = 0; k < T; k++) {
      int t = k + 1;
      loss[k] = loss(x, y);
      double[] g = grad(x, y);
      gs[k] = g;
      mx = 0.9 * mx + 0.1 * g[0];
      my = 0.9 * my + 0.1 * g[1];
      vx = 0.999 * vx + 0.001 * g[0] * g[0];
      vy = 0.999 * vy + 0.001 * g[1] * g[1];
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = Math.sqrt(1 - Math.pow(0.999, t));
      x -= 0.05 / c1 * mx / (Math.sqrt(vx) / c2 + 1e-8);
      y -= 0.05 / c1 * my / (Math.sqrt(vy) / c2 + 1e-8);
      ps[k] = new double[] {x, y};
    }
    b.addCase("adam", "Adam", "{\"lr\":0.05,\"betas\":[0.9,0.999],\"eps\":1e-8,\"weight_decay\":0,"
        + "\"amsgrad\":false}", loss, loss(x, y), gs, ps);
    return b;
  }

  @Test
  void handComputedTrajectoriesPass() {
    GoldenFile f = rosenbrockFile().file("rosenbrock.json");
    GoldenProblem p = GoldenProblems.of(f.root(), f.fileName());
    assertEquals(2, p.numParams());
    for (GoldenCase c : f.cases()) {
      GoldenResult r = GoldenRunner.run(f, c, p);
      assertTrue(r.passed(), r.line());
      assertTrue(r.params() < 1e-2, r.line());
    }
  }

  @Test
  void aWrongReferenceFails() {
    GoldenJsonBuilder b = rosenbrockFile();
    // nudge one recorded parameter by 1e-8 relative: far above the 1e-10 tolerance
    var params = (com.fasterxml.jackson.databind.node.ArrayNode) b.root.get("cases").get(1).get("params").get(2);
    params.set(0, params.get(0).doubleValue() * (1 + 1e-8));
    GoldenFile f = b.file("rosenbrock.json");
    GoldenResult r = GoldenRunner.run(f, f.cases().get(1), GoldenProblems.of(f.root(), f.fileName()));
    assertFalse(r.passed(), r.line());
    assertTrue(r.params() > 1, r.line());
    assertTrue(r.line().endsWith("FAIL"), r.line());
  }

  @Test
  void rosenbrockGradientMatchesFiniteDifferences() {
    RosenbrockProblem p = new RosenbrockProblem();
    double[] th = {0.3, -0.7};
    double[] g = new double[2];
    double f0 = p.lossAndGradient(th, null, g);
    assertEquals(loss(0.3, -0.7), f0, 0);
    double h = 1e-6;
    for (int i = 0; i < 2; i++) {
      double[] a = th.clone();
      double[] c = th.clone();
      a[i] += h;
      c[i] -= h;
      double fd = (p.lossAndGradient(a, null, new double[2]) - p.lossAndGradient(c, null, new double[2])) / (2 * h);
      assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)));
    }
  }
}
