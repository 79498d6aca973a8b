package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * Adadelta (Zeiler 2012), as torch.optim.Adadelta.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w} and RMS[y] = √(E[y²] + ε):
 * <pre>
 *   E[g²]  ← ρ·E[g²] + (1 − ρ)·gi²
 *   Δx     = (RMS[Δx]_{t−1} / RMS[g]_t) · gi          (ε inside both roots)
 *   E[Δx²] ← ρ·E[Δx²] + (1 − ρ)·Δx²                   (Δx before η)
 *   w ← w − η·Δx
 * </pre>
 * The paper has no global rate (η = 1, torch's default); torch's {@code lr} scales the applied
 * step only, not the accumulated E[Δx²].
 *
 * <p>Defaults: {@code lr} 1.0, {@code rho} 0.9, {@code eps} 1e-6, {@code weight_decay} 0.
 * Memory: 2 doubles per parameter.
 */
public final class Adadelta extends AbstractOptimizer<Adadelta.Config> {

  /** Hyper-parameters of {@link Adadelta}; JSON type {@code adadelta}. */
  @JsonTypeName("adadelta")
  public record Config(double lr, double rho, double eps, @JsonProperty("weight_decay") double weightDecay)
      implements OptimizerConfig {
    static final String TYPE = "adadelta";

    public Config {
      Params.checkLrEpsDecay(TYPE, lr, eps, weightDecay);
      Checks.inClosed(TYPE, "rho", rho, 0, 1);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("rho") Double rho,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay) {
      return new Config(Params.or(lr, 1.0), Params.or(rho, 0.9), Params.or(eps, 1e-6), Params.or(weightDecay, 0));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return 2;
    }

    @Override
    public Adadelta create(int numParams) {
      return new Adadelta(this, numParams);
    }
  }

  private final double rho;
  private final double eps;
  private final WeightDecay decay;
  private final double[] sq;
  private final double[] acc;

  private Adadelta(Config c, int numParams) {
    super(c, numParams);
    rho = c.rho();
    eps = c.eps();
    decay = WeightDecay.coupled(c.weightDecay());
    sq = buffer("square_avg", 0);
    acc = buffer("acc_delta", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double s = rho * sq[i] + (1 - rho) * gi * gi;
      sq[i] = s;
      double delta = Math.sqrt(acc[i] + eps) / Math.sqrt(s + eps) * gi;
      acc[i] = rho * acc[i] + (1 - rho) * delta * delta;
      theta[i] -= lr * delta;
    }
  }
}
