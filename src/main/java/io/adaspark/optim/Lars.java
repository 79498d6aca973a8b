package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import java.util.Map;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman &amp; Ginsburg 2017, <i>Large Batch Training
 * of Convolutional Networks</i>), as {@code optax.lars} = {@code chain(add_decayed_weights(weight_decay),
 * scale_by_trust_ratio(trust_coefficient, eps), scale_by_learning_rate(lr), trace(momentum, nesterov))}:
 * SGD with momentum whose step per parameter block is proportional to the block's norm.
 *
 * <p>In the notation of {@code golden-modern/README.md} (buf starts at 0):
 * <pre>
 *   u = g + weight_decay·θ
 *   per block B: r_B = (trust_coefficient·‖θ_B‖)/(‖u_B‖ + eps),
 *                r_B = 1 (not trust_coefficient) if ‖θ_B‖ = 0 or ‖u_B‖ = 0;   u_B ← u_B·r_B
 *   u ← (−η)·u                         (η BEFORE the momentum trace)
 *   buf ← u + momentum·buf              (no dampening; buf = u at t = 1)
 *   θ ← θ + buf                         (nesterov: θ ← θ + u + momentum·buf)
 * </pre>
 * The blocks are the {@link ParamBlocks} given to {@link Config#create(ParamBlocks)};
 * {@link Config#create(int)} treats the whole vector as one block. Every block, biases included,
 * gets the decay and the trust ratio (optax's masks at their defaults).
 *
 * <p>Where references differ: torch-style LARS codes often apply η after the momentum trace
 * (buf accumulates unscaled steps); with a constant η the numbers agree up to rounding, with a
 * schedule they do not (here the buffer carries past steps at their own η). Followed: optax.
 *
 * <p>Defaults (optax's): {@code lr} required, {@code weight_decay} 0, {@code trust_coefficient}
 * 0.001, {@code eps} 0, {@code momentum} 0.9, {@code nesterov} false. Memory: 1 double per
 * parameter (buf), plus one ratio per block.
 */
public final class Lars extends AbstractOptimizer<Lars.Config> {

  /** Hyper-parameters of {@link Lars}; JSON type {@code lars}. */
  @JsonTypeName("lars")
  public record Config(double lr, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("trust_coefficient") double trustCoefficient, double eps, double momentum,
                       boolean nesterov) implements OptimizerConfig {
    static final String TYPE = "lars";

    public Config {
      Params.checkLrEpsDecay(TYPE, lr, eps, weightDecay);
      Checks.positive(TYPE, "trust_coefficient", trustCoefficient);
      Checks.nonNegative(TYPE, "momentum", momentum);
    }

    /** JSON factory: absent or null fields take optax's defaults; {@code lr} is required. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("trust_coefficient") Double trustCoefficient,
                                  @JsonProperty("eps") Double eps, @JsonProperty("momentum") Double momentum,
                                  @JsonProperty("nesterov") Boolean nesterov) {
      return new Config(Params.requiredLr(TYPE, lr, "optax.lars"), Params.or(weightDecay, 0),
          Params.or(trustCoefficient, 0.001), Params.or(eps, 0), Params.or(momentum, 0.9), Params.or(nesterov, false));
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
    public Lars create(int numParams) {
      return create(ParamBlocks.single(numParams));
    }

    @Override
    public Lars create(ParamBlocks layout) {
      return new Lars(this, layout);
    }
  }

  private final ParamBlocks layout;
  private final double wd;
  private final double trust;
  private final double eps;
  private final double momentum;
  private final boolean nesterov;
  private final double[] buf;
  private final double[] u;
  private final double[] ratio;

  private Lars(Config config, ParamBlocks layout) {
    super(config, layout.numParams());
    this.layout = layout;
    wd = config.weightDecay();
    trust = config.trustCoefficient();
    eps = config.eps();
    momentum = config.momentum();
    nesterov = config.nesterov();
    buf = buffer("momentum_buffer", 0);
    u = new double[n];
    ratio = new double[layout.size()];
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    for (int i = 0; i < n; i++) u[i] = wd != 0 ? grad[i] + wd * theta[i] : grad[i];
    TrustRatio.apply(layout, theta, u, trust, eps, ratio);
    double neg = -lr;
    for (int i = 0; i < n; i++) {
      double ui = neg * u[i];
      double b = ui + momentum * buf[i];
      buf[i] = b;
      theta[i] = theta[i] + (nesterov ? ui + momentum * b : b);
    }
  }

  /** The trust ratio applied to each block in the last step (after the zero-norm rule). */
  @Override
  public Map<String, double[]> lastStep() {
    return Map.of("trust_ratio", ratio.clone());
  }
}
