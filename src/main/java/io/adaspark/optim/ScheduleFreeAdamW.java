package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Schedule-Free AdamW (Defazio et al. 2024, <i>The Road Less Scheduled</i>; winner of AlgoPerf's
 * self-tuning track 2024), as {@code schedulefree.AdamWScheduleFree} (facebookresearch/schedule_free,
 * train mode, no closure, {@code inner_momentum} 0): Schedule-Free SGD on the Adam-normalized
 * gradient; the gradient is taken at y, the model is x.
 *
 * <p>With the scalars η_k, c of {@link ScheduleFree}, per weight, g the gradient at y (= the
 * trainer's θ), v starting at 0:
 * <pre>
 *   v ← v·b2 + (1 − b2)·g·g
 *   gn = g/(√(v/(1 − b2^(k+1))) + eps)        (bias correction inside the root; no first moment)
 *   gn ← gn + weight_decay·y                    (only if weight_decay ≠ 0: decay at y)
 *   y ← lerp(y, z, c);   y ← y + (η_k·(b1·(1 − c) − 1))·gn
 *   z ← z − η_k·gn
 *   x = lerp(y, z, 1 − 1/b1)                    (the evaluation point)
 * </pre>
 * The first step has c = 1, so y₁ = z₁ = x₁ = x₀ − η₀·gn. The reference's explicit form
 * ({@code adamw_schedulefree_reference.py}: z, x stored, y = b1·x + (1 − b1)·z) gives the same numbers
 * up to rounding.
 *
 * <p>Defaults (the reference's): {@code lr} 0.0025, {@code betas} [0.9, 0.999] (b1 in (0, 1): it
 * sets the evaluation point), {@code eps} 1e-8, {@code weight_decay} 0, {@code warmup_steps} 0,
 * {@code r} 0, {@code weight_lr_power} 2. A schedule: see {@link ScheduleFree}. Memory: 2 doubles
 * per parameter (z, v).
 */
public final class ScheduleFreeAdamW extends ScheduleFree<ScheduleFreeAdamW.Config> {

  /** Hyper-parameters of {@link ScheduleFreeAdamW}; JSON type {@code schedulefree_adamw}. */
  @JsonTypeName("schedulefree_adamw")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("warmup_steps") int warmupSteps, double r,
                       @JsonProperty("weight_lr_power") double weightLrPower) implements OptimizerConfig {
    static final String TYPE = "schedulefree_adamw";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
      if (!(betas.b1() > 0)) {
        throw new InvalidValueException(TYPE, "betas[0]", "a number in (0, 1) (it sets the evaluation point)",
            Checks.show(betas.b1()));
      }
      Checks.atLeast(TYPE, "warmup_steps", warmupSteps, 0);
      Checks.nonNegative(TYPE, "r", r);
      Checks.nonNegative(TYPE, "weight_lr_power", weightLrPower);
    }

    /** JSON factory: absent or null fields take the reference's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("warmup_steps") Integer warmupSteps, @JsonProperty("r") Double r,
                                  @JsonProperty("weight_lr_power") Double weightLrPower) {
      return new Config(Params.or(lr, 0.0025), Betas.resolve(TYPE, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, 0), warmupSteps == null ? 0 : warmupSteps, Params.or(r, 0),
          Params.or(weightLrPower, 2));
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
    public String evaluationPoint() {
      return "x";
    }

    @Override
    public ScheduleFreeAdamW create(int numParams) {
      return new ScheduleFreeAdamW(this, numParams);
    }
  }

  private final double b2;
  private final double eps;
  private final double wd;
  private final double[] v;

  private ScheduleFreeAdamW(Config config, int numParams) {
    super(config, numParams, config.warmupSteps(), config.r(), config.weightLrPower(), config.betas().b1());
    b2 = config.betas().b2();
    eps = config.eps();
    wd = config.weightDecay();
    v = buffer("exp_avg_sq", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    double[] s = beginStep(theta, grad, lr);
    double lrK = s[0];
    double c = s[1];
    double bc2 = 1 - Math.pow(b2, t);
    for (int i = 0; i < n; i++) {
      double g = grad[i];
      v[i] = v[i] * b2 + (1 - b2) * g * g;
      double gn = g / (Math.sqrt(v[i] / bc2) + eps);
      if (wd != 0) gn = gn + wd * theta[i];
      update(theta, i, gn, lrK, c);
    }
  }
}
