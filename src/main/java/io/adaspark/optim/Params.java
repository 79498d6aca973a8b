package io.adaspark.optim;

import io.adaspark.config.Checks;

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
}
