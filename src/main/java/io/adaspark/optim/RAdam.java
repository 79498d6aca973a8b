package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * RAdam: rectified Adam (Liu et al. 2020), as torch.optim.RAdam.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w} (or, with {@code decoupled_weight_decay},
 * {@code w ← w·(1 − η·weight_decay)} first and gi = g), M and G as in {@link Adam},
 * M̂ = M/(1 − β1^t), ρ∞ = 2/(1 − β2) − 1, ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t):
 * <pre>
 *   ρ_t &gt; 5:  r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *             w ← w − η · M̂ · r · √(1 − β2^t) / (√G + ε)
 *   else:     w ← w − η · M̂                       (un-adapted momentum SGD while G's variance is intractable)
 * </pre>
 * ε is added to the uncorrected √G, unlike Adam (torch's form; the paper has no ε). The paper's
 * threshold is ρ_t &gt; 4; torch (and this class) use 5. With β2 = 0.999 the rectified branch
 * starts at t = 6.
 *
 * <p>Defaults: {@code lr} 1e-3, {@code betas} [0.9, 0.999], {@code eps} 1e-8,
 * {@code weight_decay} 0, {@code decoupled_weight_decay} false. Memory: 2 doubles per parameter.
 */
public final class RAdam extends AbstractOptimizer<RAdam.Config> {

  /** Hyper-parameters of {@link RAdam}; JSON type {@code radam}. */
  @JsonTypeName("radam")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("decoupled_weight_decay") boolean decoupledWeightDecay)
      implements OptimizerConfig {
    static final String TYPE = "radam";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("decoupled_weight_decay") Boolean decoupledWeightDecay) {
      return new Config(Params.or(lr, 1e-3), Betas.resolve(TYPE, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, 0), Params.or(decoupledWeightDecay, false));
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
    public RAdam create(int numParams) {
      return new RAdam(this, numParams);
    }
  }

  private final double b1;
  private final double b2;
  private final double eps;
  private final WeightDecay decay;
  private final double rhoInf;
  private final double[] m;
  private final double[] v;

  private RAdam(Config c, int numParams) {
    super(c, numParams);
    b1 = c.betas().b1();
    b2 = c.betas().b2();
    eps = c.eps();
    decay = WeightDecay.of(c.weightDecay(), c.decoupledWeightDecay());
    rhoInf = 2 / (1 - b2) - 1;
    m = buffer("exp_avg", 0);
    v = buffer("exp_avg_sq", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double bc1 = 1 - Math.pow(b1, t);
    double b2t = Math.pow(b2, t);
    double bc2 = 1 - b2t;
    double rhoT = rhoInf - 2 * t * b2t / bc2;
    boolean rectified = rhoT > 5;
    double scale = 0; // r * sqrt(1 - b2^t), used only when rectified
    if (rectified) {
      double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      scale = r * Math.sqrt(bc2);
    }
    decay.shrink(theta, lr);
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      double mHat = mi / bc1;
      theta[i] -= rectified ? lr * mHat * (scale / (Math.sqrt(vi) + eps)) : lr * mHat;
    }
  }
}
