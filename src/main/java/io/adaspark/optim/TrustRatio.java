package io.adaspark.optim;

/**
 * optax's {@code scale_by_trust_ratio} per parameter block, shared by {@link Lamb} and
 * {@link Lars}: {@code r_B = coefficient·‖θ_B‖ / (‖u_B‖ + eps)}, and {@code r_B = 1} (not the
 * coefficient) when {@code ‖θ_B‖ = 0} or {@code ‖u_B‖ = 0}; then {@code u_B ← u_B·r_B}.
 */
final class TrustRatio {
  private TrustRatio() {}

  /** Scales {@code u} in place block by block; writes each block's ratio into {@code ratios}. */
  static void apply(ParamBlocks layout, double[] theta, double[] u, double coefficient, double eps,
                    double[] ratios) {
    for (int k = 0; k < layout.size(); k++) {
      ParamBlocks.Block b = layout.get(k);
      int off = b.offset();
      int len = b.size();
      double pn = Params.norm(theta, off, len);
      double un = Params.norm(u, off, len);
      double r = (pn == 0 || un == 0) ? 1.0 : coefficient * pn / (un + eps);
      ratios[k] = r;
      for (int i = off; i < off + len; i++) u[i] = u[i] * r;
    }
  }
}
