package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import java.util.Map;

/**
 * LAMB, layer-wise adaptive moments for large batches (You et al. 2020, <i>Large Batch
 * Optimization for Deep Learning: Training BERT in 76 minutes</i>), as {@code optax.lamb} =
 * {@code chain(scale_by_adam(b1, b2, eps, eps_root), add_decayed_weights(weight_decay),
 * scale_by_trust_ratio(), scale_by_learning_rate(lr))}: the Adam direction plus decay, rescaled per
 * parameter block (tensor) so that the block moves by η·‖θ_B‖.
 *
 * <p>In the notation of {@code golden-modern/README.md} (m, v start at 0):
 * <pre>
 *   m ← (1 − b1)·g + b1·m;   v ← (1 − b2)·g·g + b2·v
 *   u = (m/(1 − b1^t)) / (√(v/(1 − b2^t) + eps_root) + eps)      (eps outside, eps_root inside the root)
 *   u ← u + weight_decay·θ                                         (only if weight_decay ≠ 0)
 *   per block B: r_B = ‖θ_B‖/‖u_B‖, r_B = 1 if ‖θ_B‖ = 0 or ‖u_B‖ = 0;   u_B ← u_B·r_B
 *   θ ← θ + (−η)·u
 * </pre>
 * The blocks are the {@link ParamBlocks} given to {@link Config#create(ParamBlocks)} (a model's
 * {@code W} and {@code b} separately, norms Frobenius); {@link Config#create(int)} treats the whole
 * vector as one block. Every block, biases included, gets the decay and the trust ratio (optax's
 * masks at their defaults).
 *
 * <p>Where references differ: timm's {@code Lamb} clips the global gradient norm to 1 by default,
 * defaults {@code weight_decay} 0.01 and skips the trust ratio of blocks without decay unless
 * {@code always_adapt} (so with decay 0 it is plain Adam). Followed: optax (no clipping — use the
 * run's {@code clip} — and the trust ratio always).
 *
 * <p>Defaults (optax's): {@code lr} required, {@code betas} [0.9, 0.999], {@code eps} 1e-6,
 * {@code eps_root} 0, {@code weight_decay} 0. Memory: 2 doubles per parameter (m, v), plus one
 * ratio per block.
 */
public final class Lamb extends AbstractOptimizer<Lamb.Config> {

  /** Hyper-parameters of {@link Lamb}; JSON type {@code lamb}. */
  @JsonTypeName("lamb")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("eps_root") double epsRoot,
                       @JsonProperty("weight_decay") double weightDecay) implements OptimizerConfig {
    static final String TYPE = "lamb";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
      Checks.nonNegative(TYPE, "eps_root", epsRoot);
    }

    /** JSON factory: absent or null fields take optax's defaults; {@code lr} is required. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("eps_root") Double epsRoot,
                                  @JsonProperty("weight_decay") Double weightDecay) {
      return new Config(Params.requiredLr(TYPE, lr, "optax.lamb"), Betas.resolve(TYPE, betas, beta1, beta2),
          Params.or(eps, 1e-6), Params.or(epsRoot, 0), Params.or(weightDecay, 0));
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
    public Lamb create(int numParams) {
      return create(ParamBlocks.single(numParams));
    }

    @Override
    public Lamb create(ParamBlocks layout) {
      return new Lamb(this, layout);
    }
  }

  private final ParamBlocks layout;
  private final double b1;
  private final double b2;
  private final double eps;
  private final double epsRoot;
  private final double wd;
  private final double[] m;
  private final double[] v;
  private final double[] u;
  private final double[] ratio;

  private Lamb(Config config, ParamBlocks layout) {
    super(config, layout.numParams());
    this.layout = layout;
    b1 = config.betas().b1();
    b2 = config.betas().b2();
    eps = config.eps();
    epsRoot = config.epsRoot();
    wd = config.weightDecay();
    m = buffer("exp_avg", 0);
    v = buffer("exp_avg_sq", 0);
    u = new double[n];
    ratio = new double[layout.size()];
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double bc1 = 1 - Math.pow(b1, t);
    double bc2 = 1 - Math.pow(b2, t);
    for (int i = 0; i < n; i++) {
      double g = grad[i];
      m[i] = (1 - b1) * g + b1 * m[i];
      v[i] = (1 - b2) * (g * g) + b2 * v[i];
      double ui = (m[i] / bc1) / (Math.sqrt(v[i] / bc2 + epsRoot) + eps);
      if (wd != 0) ui = ui + wd * theta[i];
      u[i] = ui;
    }
    TrustRatio.apply(layout, theta, u, 1.0, 0.0, ratio);
    double neg = -lr;
    for (int i = 0; i < n; i++) theta[i] = theta[i] + neg * u[i];
  }

  /** The trust ratio applied to each block in the last step (after the zero-norm rule). */
  @Override
  public Map<String, double[]> lastStep() {
    return Map.of("trust_ratio", ratio.clone());
  }
}
