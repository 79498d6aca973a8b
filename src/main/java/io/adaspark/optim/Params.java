package io.adaspark.optim;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/** Defaults for the nullable (boxed) parameters of the JSON factories, and the checks they share. */
final class Params {
  private Params() {}

  static double or(Double v, double dflt) {
    return v == null ? dflt : v;
  }

  static boolean or(Boolean v, boolean dflt) {
    return v == null ? dflt : v;
  }

  /** lr &gt; 0, eps &gt;= 0, weight_decay &gt;= 0: every optimizer with an eps. */
  static void checkLrEpsDecay(String owner, double lr, double eps, double weightDecay) {
    Checks.positive(owner, "lr", lr);
    Checks.nonNegative(owner, "eps", eps);
    Checks.nonNegative(owner, "weight_decay", weightDecay);
  }

  /** The Adam family: {@link #checkLrEpsDecay} and both betas in [0, 1). */
  static void checkAdamFamily(String owner, double lr, Betas betas, double eps, double weightDecay) {
    checkLrEpsDecay(owner, lr, eps, weightDecay);
    betas.check(owner);
  }

  /** lr required (optax has no default learning rate): the message names the reference. */
  static double requiredLr(String owner, Double lr, String reference) {
    if (lr == null) {
      throw new InvalidValueException(owner, "lr", "given (a number > 0; " + reference + " has no default)", "nothing");
    }
    return lr;
  }

  /**
   * torch's {@code lerp(a, b, w)}: {@code a + w·(b − a)} if {@code |w| < 0.5}, else
   * {@code b − (b − a)·(1 − w)} (so {@code lerp(a, b, 1) = b} exactly).
   */
  static double lerp(double a, double b, double w) {
    return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
  }

  /** Euclidean norm of {@code v[off .. off+len)}, summing squares in index order. */
  static double norm(double[] v, int off, int len) {
    double s = 0;
    for (int i = off; i < off + len; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  }
}
