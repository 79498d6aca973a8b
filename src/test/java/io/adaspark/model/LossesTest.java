package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The logistic loss's numeric helpers against references: fdlibm's {@link StrictMath#log1p}
 * (documented within 1 ulp of the exact value) for {@link Kernels#log1pUnit}, and the log1p
 * formula on fdlibm for {@link Losses#logistic}. The sigmoid: SigmoidKernelTest.
 */
class LossesTest {

  /** Distance in units in the last place of {@code ref} (both finite and of the same sign). */
  static double ulps(double v, double ref) {
    return Math.abs(v - ref) / Math.ulp(ref);
  }

  static double log1pUlps(double e) {
    double v = Kernels.log1pUnit(e), ref = StrictMath.log1p(e);
    if (v == ref) return 0;
    return ulps(v, ref);
  }

  @Test
  void log1pUnitIsWithinOneUlpOfLog1pOnTheUnitInterval() {
    SplittableRandom r = new SplittableRandom(17);
    double worst = 0, worstAt = 0;
    long exact = 0, total = 0;
    // log-uniform over [2^-1074, 1]: every binade from the subnormals to 1
    for (int k = 0; k < 2_000_000; k++) {
      double e = Math.pow(2, -1074 * r.nextDouble());
      double u = log1pUlps(e);
      if (u > worst) { worst = u; worstAt = e; }
      if (u == 0) exact++;
      total++;
    }
    // uniform on (0, 1], where 1 + e rounds the most
    for (int k = 0; k < 2_000_000; k++) {
      double e = 1 - r.nextDouble();
      double u = log1pUlps(e);
      if (u > worst) { worst = u; worstAt = e; }
      if (u == 0) exact++;
      total++;
    }
    // around the switch to e (1 + e rounds to 1 below 2^-53) and other edges
    double[] edges = {Double.MIN_VALUE, Double.MIN_NORMAL, 0x1p-60, 0x1p-54, Math.nextDown(0x1p-53),
        0x1p-53, Math.nextUp(0x1p-53), Math.nextDown(0x1p-52), 0x1p-52, Math.nextUp(0x1p-52), 0x1p-30,
        1e-10, 1e-5, 0.25, Math.nextDown(Kernels.SQRT2_M1), Kernels.SQRT2_M1, Math.nextUp(Kernels.SQRT2_M1),
        0.5, Math.nextDown(1.0), 1.0, Math.exp(-1), Math.exp(-30), Math.exp(-700)};
    for (double e : edges) {
      double u = log1pUlps(e);
      if (u > worst) { worst = u; worstAt = e; }
    }
    System.out.printf("log1pUnit vs StrictMath.log1p: %d of %d exact, worst %.3f ulps at e = %s%n",
        exact, total, worst, worstAt);
    assertTrue(worst <= 1, "worst " + worst + " ulps at e = " + worstAt);
    assertTrue(exact > 0.7 * total, exact + " of " + total + " bit-equal");
    assertEquals(0.0, Kernels.log1pUnit(0.0));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(Kernels.log1pUnit(0.0)), "+0");
    assertEquals(StrictMath.log1p(1.0), Kernels.log1pUnit(1.0), Math.ulp(Math.log(2)));
    assertTrue(Double.isNaN(Kernels.log1pUnit(Double.NaN)));
  }

  @Test
  void logisticLossMatchesTheLog1pFormula() {
    SplittableRandom r = new SplittableRandom(3);
    for (int k = 0; k < 1_000_000; k++) {
      double z = r.nextGaussian() * Math.exp(3 * r.nextGaussian());
      for (int y = 0; y <= 1; y++) {
        double ref = Math.max(z, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(z))) - y * z;
        double v = Losses.logistic(z, y);
        // log1pUnit is within 1 ulp of log1p; the two sums round at the scale of their results,
        // so a last-bit difference in log1p can move each rounding by one ulp of its result
        double l1p = StrictMath.log1p(StrictMath.exp(-Math.abs(z)));
        double tol = Math.ulp(l1p) + Math.ulp(Math.max(z, 0) + l1p) + Math.ulp(ref);
        if (!(Math.abs(v - ref) <= tol)) fail("z = " + z + ", y = " + y + ": " + v + " vs " + ref);
      }
    }
    assertEquals(1000.0, Losses.logistic(1000, 0));
    assertEquals(0.0, Losses.logistic(-1000, 0));
    assertTrue(Double.isNaN(Losses.logistic(Double.NaN, 1)));
  }
}
