package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * AdaMax, the infinity-norm variant of Adam (Kingma &amp; Ba 2015, section 7.1), as
 * torch.optim.Adamax.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w}:
 * <pre>
 *   M ← β1·M + (1 − β1)·gi
 *   u ← max(β2·u, |gi| + ε)
 *   w ← w − (η / (1 − β1^t)) · M / u
 * </pre>
 * The paper (and the course) has no ε: u ← max(β2·u, |g|). torch adds ε inside the max.
 * With {@code eps: 0} this is the textbook form; a weight whose gradient has been exactly 0 at
 * every step so far has u = 0 (and M = 0) and is left unchanged instead of becoming 0/0 = NaN.
 *
 * <p>Defaults: {@code lr} 2e-3, {@code betas} [0.9, 0.999], {@code eps} 1e-8,
 * {@code weight_decay} 0. Memory: 2 doubles per parameter.
 */
public final class Adamax extends AbstractOptimizer<Adamax.Config> {

  /** Hyper-parameters of {@link Adamax}; JSON type {@code adamax}. */
  @JsonTypeName("adamax")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay)
      implements OptimizerConfig {
    static final String TYPE = "adamax";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay) {
      return new Config(Params.or(lr, 2e-3), Betas.resolve(TYPE, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, 0));
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
    public Adamax create(int numParams) {
      return new Adamax(this, numParams);
    }
  }

  private final double b1;
  private final double b2;
  private final double eps;
  private final WeightDecay decay;
  private final double[] m;
  private final double[] u;

  private Adamax(Config c, int numParams) {
    super(c, numParams);
    b1 = c.betas().b1();
    b2 = c.betas().b2();
    eps = c.eps();
    decay = WeightDecay.coupled(c.weightDecay());
    m = buffer("exp_avg", 0);
    u = buffer("exp_inf", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double clr = lr / (1 - Math.pow(b1, t));
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double mi = b1 * m[i] + (1 - b1) * gi;
      double ui = Math.max(b2 * u[i], Math.abs(gi) + eps);
      m[i] = mi;
      u[i] = ui;
      if (ui != 0) theta[i] -= clr * (mi / ui);
    }
  }
}
