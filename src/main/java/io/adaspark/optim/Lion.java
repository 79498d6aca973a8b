package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, <i>Symbolic Discovery of Optimization
 * Algorithms</i>), as {@code optax.lion} = {@code chain(scale_by_lion(b1, b2),
 * add_decayed_weights(weight_decay), scale_by_learning_rate(lr))}.
 *
 * <p>Per weight, in the notation of {@code golden-modern/README.md} (m starts at 0):
 * <pre>
 *   c = (1 − b1)·g + b1·m            (with the OLD m)
 *   u = sign(c)                       (sign(0) = 0)
 *   m ← (1 − b2)·g + b2·m             (b2, after c was formed)
 *   u ← u + weight_decay·θ            (decoupled, parameters before the step; only if weight_decay ≠ 0)
 *   θ ← θ + (−η)·u
 * </pre>
 * Every coordinate moves by exactly η per step (plus the decay), whatever the gradient's scale;
 * the first step is {@code sign(g)}. The interpolation c uses b1 and the stored momentum uses b2:
 * unlike Adam's, the momentum the step sees is not the one stored.
 *
 * <p>Where references differ: lucidrains/lion-pytorch computes
 * {@code θ·(1 − η·wd) − η·sign(b1·m + (1 − b1)·g)}, the same numbers up to rounding, but its
 * defaults are {@code lr} 1e-4 and {@code weight_decay} 0. Followed: optax.
 *
 * <p>Defaults (optax's): {@code lr} required, {@code betas} [0.9, 0.99], {@code weight_decay} 1e-3.
 * The decay is multiplied by this step's η (a schedule scales it too). Memory: 1 double per
 * parameter (m).
 */
public final class Lion extends AbstractOptimizer<Lion.Config> {

  /** Hyper-parameters of {@link Lion}; JSON type {@code lion}. */
  @JsonTypeName("lion")
  public record Config(double lr, Betas betas, @JsonProperty("weight_decay") double weightDecay)
      implements OptimizerConfig {
    static final String TYPE = "lion";

    public Config {
      Checks.positive(TYPE, "lr", lr);
      betas.check(TYPE);
      Checks.nonNegative(TYPE, "weight_decay", weightDecay);
    }

    /** JSON factory: absent or null fields take optax's defaults; {@code lr} is required. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("weight_decay") Double weightDecay) {
      return new Config(Params.requiredLr(TYPE, lr, "optax.lion"),
          Betas.resolve(TYPE, betas, beta1, beta2, new Betas(0.9, 0.99)), Params.or(weightDecay, 1e-3));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return 1;
    }

    @Override
    public Lion create(int numParams) {
      return new Lion(this, numParams);
    }
  }

  private final double b1;
  private final double b2;
  private final double wd;
  private final double[] m;

  private Lion(Config config, int numParams) {
    super(config, numParams);
    b1 = config.betas().b1();
    b2 = config.betas().b2();
    wd = config.weightDecay();
    m = buffer("exp_avg", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double neg = -lr;
    for (int i = 0; i < n; i++) {
      double g = grad[i];
      double u = Math.signum((1 - b1) * g + b1 * m[i]);
      m[i] = (1 - b2) * g + b2 * m[i];
      if (wd != 0) u = u + wd * theta[i];
      theta[i] = theta[i] + neg * u;
    }
  }
}
