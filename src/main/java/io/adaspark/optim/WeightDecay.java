package io.adaspark.optim;

import java.io.Serializable;

/**
 * Weight decay in one place, as the two pieces an update rule composes (in the spirit of optax's
 * {@code add_decayed_weights}, which a chain places where the rule wants it):
 * <ul>
 *   <li><b>coupled</b> (L2 through the gradient, torch's {@code weight_decay}): the rule sees
 *       {@code gi = g + wd·θ} ({@link #grad});</li>
 *   <li><b>decoupled</b> (Loshchilov &amp; Hutter 2019; torch's AdamW and
 *       {@code decoupled_weight_decay}): the weights shrink first, {@code θ ← θ·(1 − η_t·wd)} with
 *       this step's learning rate ({@link #shrink}), and the rule sees g unchanged.</li>
 * </ul>
 * At most one of the two is non-zero. The arithmetic is exactly torch's, element by element, so
 * an optimizer that calls {@link #shrink} before its loop and {@link #grad} inside it gives the
 * bits of the single fused loop it replaced.
 */
record WeightDecay(double coupled, double decoupled) implements Serializable {
  static final WeightDecay NONE = new WeightDecay(0, 0);

  /** Coupled L2: {@code g + wd·θ}. */
  static WeightDecay coupled(double wd) {
    return new WeightDecay(wd, 0);
  }

  /** Decoupled: {@code θ ← θ·(1 − η_t·wd)} before the update. */
  static WeightDecay decoupled(double wd) {
    return new WeightDecay(0, wd);
  }

  /** {@code decoupled ? decoupled(wd) : coupled(wd)} — torch's {@code decoupled_weight_decay} flag. */
  static WeightDecay of(double wd, boolean decoupled) {
    return decoupled ? decoupled(wd) : coupled(wd);
  }

  /** The decoupled piece, first in a step: {@code θ ← θ·(1 − lr·wd)}; nothing without it. */
  void shrink(double[] theta, double lr) {
    if (decoupled == 0) return;
    double factor = 1 - lr * decoupled;
    for (int i = 0; i < theta.length; i++) theta[i] *= factor;
  }

  /** The coupled piece: the gradient the rule sees, {@code g + wd·θ} (θ after any shrink). */
  double grad(double g, double theta) {
    return g + coupled * theta;
  }
}
