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
      return of(Fields.ABSENT);
    }

    /** The Java form of the JSON fields ({@link Fields}): absent (null) fields take torch's defaults. */
    public static Config fromJson(Double lr, double[] betas, Double beta1, Double beta2, Double eps,
                                  Double weightDecay, Boolean amsgrad, Boolean biasCorrection) {
      return of(new Fields(lr, betas, beta1, beta2, eps, weightDecay, amsgrad, biasCorrection));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Config of(Fields f) {
      return f.resolve(TYPE, 0, Config::new);
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

  /**
   * The job-file fields {@code adam} and {@code adamw} share (as torch's AdamW is its Adam with the
   * decay decoupled): read once, resolved once; absent or null fields take torch's defaults, and
   * each config says only its type name and its {@code weight_decay} default.
   */
  record Fields(Double lr, double[] betas, Double beta1, Double beta2, Double eps,
                @JsonProperty("weight_decay") Double weightDecay, Boolean amsgrad,
                @JsonProperty("bias_correction") Boolean biasCorrection) {
    static final Fields ABSENT = new Fields(null, null, null, null, null, null, null, null);

    /** The validated config of type {@code type}: these fields, or torch's defaults where absent. */
    <C extends Form> C resolve(String type, double defaultDecay, Make<C> make) {
      return make.config(Params.or(lr, 1e-3), Betas.resolve(type, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, defaultDecay), Params.or(amsgrad, false), Params.or(biasCorrection, true));
    }

    /** A config record's canonical constructor. */
    interface Make<C extends Form> {
      C config(double lr, Betas betas, double eps, double weightDecay, boolean amsgrad, boolean biasCorrection);
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
