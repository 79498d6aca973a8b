package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011), as torch.optim.Adagrad.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w}:
 * <pre>
 *   G ← G + gi²                        (G starts at initial_accumulator_value)
 *   η_t = η / (1 + (t − 1)·lr_decay)
 *   w ← w − η_t · gi / (√G + ε)        (ε outside the root)
 * </pre>
 * The course's form with a per-weight rate that only falls; {@code lr_decay} is torch's extra
 * 1/t-style decay of the global rate (applied on top of any schedule).
 *
 * <p>Defaults: {@code lr} 0.01, {@code lr_decay} 0, {@code initial_accumulator_value} 0,
 * {@code eps} 1e-10, {@code weight_decay} 0. Memory: 1 double per parameter.
 */
public final class Adagrad extends AbstractOptimizer<Adagrad.Config> {

  /** Hyper-parameters of {@link Adagrad}; JSON type {@code adagrad}. */
  @JsonTypeName("adagrad")
  public record Config(double lr, @JsonProperty("lr_decay") double lrDecay,
                       @JsonProperty("initial_accumulator_value") double initialAccumulatorValue, double eps,
                       @JsonProperty("weight_decay") double weightDecay) implements OptimizerConfig {
    static final String TYPE = "adagrad";

    public Config {
      Params.checkLrEpsDecay(TYPE, lr, eps, weightDecay);
      Checks.nonNegative(TYPE, "lr_decay", lrDecay);
      Checks.nonNegative(TYPE, "initial_accumulator_value", initialAccumulatorValue);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("lr_decay") Double lrDecay,
                                  @JsonProperty("initial_accumulator_value") Double initialAccumulatorValue,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay) {
      return new Config(Params.or(lr, 0.01), Params.or(lrDecay, 0), Params.or(initialAccumulatorValue, 0),
          Params.or(eps, 1e-10), Params.or(weightDecay, 0));
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
    public Adagrad create(int numParams) {
      return new Adagrad(this, numParams);
    }
  }

  private final double lrDecay;
  private final double eps;
  private final WeightDecay decay;
  private final double[] sum;

  private Adagrad(Config c, int numParams) {
    super(c, numParams);
    lrDecay = c.lrDecay();
    eps = c.eps();
    decay = WeightDecay.coupled(c.weightDecay());
    sum = buffer("sum", c.initialAccumulatorValue());
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double clr = lr / (1 + (t - 1) * lrDecay);
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double s = sum[i] + gi * gi;
      sum[i] = s;
      theta[i] -= clr * (gi / (Math.sqrt(s) + eps));
    }
  }
}
