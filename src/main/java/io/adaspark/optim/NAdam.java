package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.util.Map;

/**
 * NAdam: Adam with Nesterov momentum (Dozat 2016), as torch.optim.NAdam, or the course's simple form.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w} (or, with {@code decoupled_weight_decay},
 * {@code w ← w·(1 − η·weight_decay)} first and gi = g), M and G as in {@link Adam}.
 *
 * <p>{@code variant: "torch"} (default) — Dozat's momentum schedule
 * μ_t = β1·(1 − ½·0.96^(t·momentum_decay)), P_t = μ_1···μ_t:
 * <pre>
 *   D = √G / √(1 − β2^t) + ε
 *   w ← w − η·(1 − μ_t)/(1 − P_t) · gi/D − η·μ_{t+1}/(1 − P_t·μ_{t+1}) · M/D
 * </pre>
 * (torch's documented formula; torch 1.13's single-tensor code path used P_t·μ_t·μ_{t+1} in the
 * last denominator, a bug not reproduced here). No 1 − β1^t correction: the P_t terms replace it.
 *
 * <p>{@code variant: "simple"} — the course's form with a constant β1 (momentum_decay unused):
 * <pre>
 *   M̂ = M/(1 − β1^t),  Ĝ = G/(1 − β2^t)
 *   w ← w − η/(√Ĝ + ε) · (β1·M̂ + (1 − β1)·gi/(1 − β1^t))
 * </pre>
 *
 * <p>Defaults: {@code lr} 2e-3, {@code betas} [0.9, 0.999], {@code eps} 1e-8,
 * {@code weight_decay} 0, {@code momentum_decay} 4e-3, {@code decoupled_weight_decay} false,
 * {@code variant} "torch". Memory: 2 doubles per parameter (plus the scalar P_t).
 */
public final class NAdam extends AbstractOptimizer<NAdam.Config> {

  /** Which NAdam update: torch's (with the momentum schedule) or the course's simple form. */
  public enum Variant {
    TORCH, SIMPLE;

    @JsonValue
    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Variant parse(String s) {
      for (Variant v : values()) if (v.jsonName().equals(s)) return v;
      throw new InvalidValueException(Config.TYPE, "variant", "one of \"torch\", \"simple\"", "\"" + s + "\"");
    }
  }

  /** Hyper-parameters of {@link NAdam}; JSON type {@code nadam}. */
  @JsonTypeName("nadam")
  public record Config(double lr, Betas betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("momentum_decay") double momentumDecay,
                       @JsonProperty("decoupled_weight_decay") boolean decoupledWeightDecay, Variant variant)
      implements OptimizerConfig {
    static final String TYPE = "nadam";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
      Checks.nonNegative(TYPE, "momentum_decay", momentumDecay);
      java.util.Objects.requireNonNull(variant, "variant");
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("momentum_decay") Double momentumDecay,
                                  @JsonProperty("decoupled_weight_decay") Boolean decoupledWeightDecay,
                                  @JsonProperty("variant") String variant) {
      return new Config(Params.or(lr, 2e-3), Betas.resolve(TYPE, betas, beta1, beta2), Params.or(eps, 1e-8),
          Params.or(weightDecay, 0), Params.or(momentumDecay, 4e-3), Params.or(decoupledWeightDecay, false),
          variant == null ? Variant.TORCH : Variant.parse(variant));
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
    public NAdam create(int numParams) {
      return new NAdam(this, numParams);
    }
  }

  private static final String MU_PRODUCT = "mu_product";
  private final double b1;
  private final double b2;
  private final double eps;
  private final WeightDecay decay;
  private final double momentumDecay;
  private final boolean simple;
  private final double[] m;
  private final double[] v;
  /** P_t = μ_1···μ_t (torch's mu_product). */
  private double muProduct = 1;

  private NAdam(Config c, int numParams) {
    super(c, numParams);
    b1 = c.betas().b1();
    b2 = c.betas().b2();
    eps = c.eps();
    decay = WeightDecay.of(c.weightDecay(), c.decoupledWeightDecay());
    momentumDecay = c.momentumDecay();
    simple = c.variant() == Variant.SIMPLE;
    m = buffer("exp_avg", 0);
    v = buffer("exp_avg_sq", 0);
  }

  private double mu(long step) {
    return b1 * (1 - 0.5 * Math.pow(0.96, step * momentumDecay));
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    decay.shrink(theta, lr);
    double cg;
    double cm;
    if (simple) {
      double bc1 = 1 - Math.pow(b1, t);
      cg = lr * (1 - b1) / bc1;
      cm = lr * b1 / bc1;
    } else {
      double mu = mu(t);
      double muNext = mu(t + 1);
      muProduct *= mu;
      cg = lr * (1 - mu) / (1 - muProduct);
      cm = lr * muNext / (1 - muProduct * muNext);
    }
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      double d = Math.sqrt(vi) / sqrtBc2 + eps;
      theta[i] -= cg * (gi / d);
      theta[i] -= cm * (mi / d);
    }
  }

  @Override
  protected Map<String, Double> scalars() {
    return Map.of(MU_PRODUCT, muProduct);
  }

  @Override
  protected void restoreScalars(Map<String, Double> scalars) {
    muProduct = scalars.get(MU_PRODUCT);
  }
}
