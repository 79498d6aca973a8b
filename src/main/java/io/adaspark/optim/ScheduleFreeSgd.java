package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * Schedule-Free SGD (Defazio et al. 2024, <i>The Road Less Scheduled</i>), as
 * {@code schedulefree.SGDScheduleFree} (facebookresearch/schedule_free, train mode, no closure):
 * momentum replaced by an interpolation between the averaged iterate x and the SGD iterate z; the
 * gradient is taken at y, the model is x.
 *
 * <p>With the scalars η_k, c of {@link ScheduleFree} (warmup, weights {@code (k+1)^r·lr_max^weight_lr_power}),
 * per weight, g the gradient at y (= the trainer's θ):
 * <pre>
 *   gn = g + weight_decay·y                 (only if weight_decay ≠ 0: decay at y)
 *   y ← lerp(y, z, c);   y ← y + (η_k·(momentum·(1 − c) − 1))·gn
 *   z ← z − η_k·gn
 *   x = lerp(y, z, 1 − 1/momentum)          (the evaluation point: losses, accuracy, the final model)
 * </pre>
 * The first step has c = 1, so y₁ = z₁ = x₁ = x₀ − η₀·gn. With {@code momentum} 0.5 the weight
 * 1 − 1/momentum = −1 takes torch's second lerp branch. The {@code *_reference.py} form
 * (x stored explicitly) gives the same numbers up to rounding.
 *
 * <p>Defaults (the reference's): {@code lr} 1.0, {@code momentum} 0.9, {@code weight_decay} 0,
 * {@code warmup_steps} 0, {@code r} 0, {@code weight_lr_power} 2. A schedule: see
 * {@link ScheduleFree}. Memory: 1 double per parameter (z; x is computed on demand into a
 * scratch vector).
 */
public final class ScheduleFreeSgd extends ScheduleFree<ScheduleFreeSgd.Config> {

  /** Hyper-parameters of {@link ScheduleFreeSgd}; JSON type {@code schedulefree_sgd}. */
  @JsonTypeName("schedulefree_sgd")
  public record Config(double lr, double momentum, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("warmup_steps") int warmupSteps, double r,
                       @JsonProperty("weight_lr_power") double weightLrPower) implements OptimizerConfig {
    static final String TYPE = "schedulefree_sgd";

    public Config {
      Checks.positive(TYPE, "lr", lr);
      if (!(momentum > 0 && momentum < 1)) {
        throw new io.adaspark.check.InvalidValueException(TYPE, "momentum", "a number in (0, 1)", Checks.show(momentum));
      }
      Checks.nonNegative(TYPE, "weight_decay", weightDecay);
      Checks.atLeast(TYPE, "warmup_steps", warmupSteps, 0);
      Checks.nonNegative(TYPE, "r", r);
      Checks.nonNegative(TYPE, "weight_lr_power", weightLrPower);
    }

    /** JSON factory: absent or null fields take the reference's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("momentum") Double momentum,
                                  @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("warmup_steps") Integer warmupSteps, @JsonProperty("r") Double r,
                                  @JsonProperty("weight_lr_power") Double weightLrPower) {
      return new Config(Params.or(lr, 1.0), Params.or(momentum, 0.9), Params.or(weightDecay, 0),
          warmupSteps == null ? 0 : warmupSteps, Params.or(r, 0), Params.or(weightLrPower, 2));
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
    public String evaluationPoint() {
      return "x";
    }

    @Override
    public ScheduleFreeSgd create(int numParams) {
      return new ScheduleFreeSgd(this, numParams);
    }
  }

  private final double wd;

  private ScheduleFreeSgd(Config config, int numParams) {
    super(config, numParams, config.warmupSteps(), config.r(), config.weightLrPower(), config.momentum());
    wd = config.weightDecay();
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    double[] s = beginStep(theta, grad, lr);
    double lrK = s[0];
    double c = s[1];
    for (int i = 0; i < n; i++) {
      double gn = wd != 0 ? grad[i] + wd * theta[i] : grad[i];
      update(theta, i, gn, lrK, c);
    }
  }
}
