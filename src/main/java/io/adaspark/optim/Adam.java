package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Adam (Kingma &amp; Ba 2015) with the AMSGrad option (Reddi et al. 2018), as torch.optim.Adam;
 * also the engine of {@link AdamW} (decoupled weight decay).
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w} (coupled L2; AdamW instead first does
 * {@code w ← w·(1 − η·weight_decay)} and leaves g alone):
 * <pre>
 *   M ← β1·M + (1 − β1)·gi          G ← β2·G + (1 − β2)·gi²
 *   AMSGrad: Gmax ← max(Gmax, G), S = Gmax;   otherwise S = G
 *   w ← w − (η / (1 − β1^t)) · M / (√S / √(1 − β2^t) + ε)
 * </pre>
 * That is the bias-corrected form M̂/(√Ĝ + ε) of the paper except for where ε sits: torch (and
 * the paper's Algorithm 1 read literally) adds ε after correcting √G, so ε is not scaled by
 * √(1 − β2^t). AMSGrad keeps the maximum of the raw G (torch), not of Ĝ.
 *
 * <p>{@code bias_correction: false} gives the course slides' form
 * {@code w ← w − η·M/(√S + ε)}.
 *
 * <p>Defaults: {@code lr} 1e-3, {@code betas} [0.9, 0.999], {@code eps} 1e-8,
 * {@code weight_decay} 0, {@code amsgrad} false, {@code bias_correction} true.
 * Memory: 2 doubles per parameter (M, G), 3 with AMSGrad.
 */
public final class Adam extends AbstractOptimizer<Adam.Form> {

  /** Hyper-parameters of {@link Adam}; JSON type {@code adam}. */
  @JsonTypeName("adam")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       boolean amsgrad, @JsonProperty("bias_correction") boolean biasCorrection)
      implements Form {
    static final String TYPE = "adam";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
    }

    /** torch's defaults. */
    public static Config defaults() {
      return fromJson(null, null, null, null, null, null, null, null);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("amsgrad") Boolean amsgrad,
                                  @JsonProperty("bias_correction") Boolean biasCorrection) {
      return new Config(Params.or(lr, 1e-3), Betas.resolve(TYPE, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, 0), Params.or(amsgrad, false), Params.or(biasCorrection, true));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    /** Coupled L2, torch's Adam {@code weight_decay}. */
    @Override
    public WeightDecay decay() {
      return WeightDecay.coupled(weightDecay);
    }
  }

  /**
   * What {@code adam} and {@code adamw} share: the hyper-parameters of the update, its state size
   * and the optimizer it creates; each config says only how it decays the weights.
   */
  interface Form extends OptimizerConfig {
    Betas betas();

    double eps();

    boolean amsgrad();

    boolean biasCorrection();

    /** Where the weight decay goes: coupled (Adam) or decoupled (AdamW). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    WeightDecay decay();

    @Override
    default int stateSizePerParam() {
      return amsgrad() ? 3 : 2;
    }

    @Override
    default Optimizer create(int numParams) {
      return new Adam(this, numParams);
    }
  }

  private final double b1;
  private final double b2;
  private final double eps;
  private final WeightDecay decay;
  private final boolean biasCorrection;
  private final double[] m;
  private final double[] v;
  private final double[] vmax;

  /** The update of {@code adam} and {@code adamw}; they differ only in {@link Form#decay()}. */
  Adam(Form c, int numParams) {
    super(c, numParams);
    this.b1 = c.betas().b1();
    this.b2 = c.betas().b2();
    this.eps = c.eps();
    this.decay = c.decay();
    this.biasCorrection = c.biasCorrection();
    m = buffer("exp_avg", 0);
    v = buffer("exp_avg_sq", 0);
    vmax = c.amsgrad() ? buffer("max_exp_avg_sq", 0) : null;
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double stepSize = biasCorrection ? lr / (1 - Math.pow(b1, t)) : lr;
    double sqrtBc2 = biasCorrection ? Math.sqrt(1 - Math.pow(b2, t)) : 1;
    decay.shrink(theta, lr);
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      double s = vi;
      if (vmax != null) {
        s = Math.max(vmax[i], vi);
        vmax[i] = s;
      }
      theta[i] -= stepSize * (mi / (Math.sqrt(s) / sqrtBc2 + eps));
    }
  }
}
