package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * RMSprop (Tieleman &amp; Hinton 2012, lecture 6e), with the centered variant of Graves 2013, as
 * torch.optim.RMSprop.
 *
 * <p>Per weight, with {@code gi = g + weight_decay·w}:
 * <pre>
 *   G ← α·G + (1 − α)·gi²                                   (no bias correction)
 *   centered:  A ← α·A + (1 − α)·gi,   D = √(G − A²) + ε;   otherwise D = √G + ε
 *   momentum μ &gt; 0:  B ← μ·B + gi/D,  w ← w − η·B;         otherwise w ← w − η·gi/D
 * </pre>
 * The course's form is the non-centered one without momentum (α is the course's β ≈ 0.9; torch's
 * default is 0.99). ε is outside the root. The momentum buffer accumulates the normalized
 * gradient, and starts at 0 (unlike SGD's first-step copy).
 *
 * <p>Defaults: {@code lr} 0.01, {@code alpha} 0.99, {@code eps} 1e-8, {@code weight_decay} 0,
 * {@code momentum} 0, {@code centered} false. Memory: 1 double per parameter, +1 centered,
 * +1 with momentum.
 */
public final class RmsProp extends AbstractOptimizer<RmsProp.Config> {

  /** Hyper-parameters of {@link RmsProp}; JSON type {@code rmsprop}. */
  @JsonTypeName("rmsprop")
  public record Config(double lr, double alpha, double eps, @JsonProperty("weight_decay") double weightDecay,
                       double momentum, boolean centered) implements OptimizerConfig {
    static final String TYPE = "rmsprop";

    public Config {
      Params.checkLrEpsDecay(TYPE, lr, eps, weightDecay);
      Checks.inClosed(TYPE, "alpha", alpha, 0, 1);
      Checks.nonNegative(TYPE, "momentum", momentum);
    }

    /** JSON factory: absent or null fields take torch's defaults. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("alpha") Double alpha,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("momentum") Double momentum, @JsonProperty("centered") Boolean centered) {
      return new Config(Params.or(lr, 0.01), Params.or(alpha, 0.99), Params.or(eps, 1e-8), Params.or(weightDecay, 0),
          Params.or(momentum, 0), Params.or(centered, false));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
    }

    @Override
    public RmsProp create(int numParams) {
      return new RmsProp(this, numParams);
    }
  }

  private final double alpha;
  private final double eps;
  private final WeightDecay decay;
  private final double mu;
  private final double[] sq;
  private final double[] avg;
  private final double[] buf;

  private RmsProp(Config c, int numParams) {
    super(c, numParams);
    alpha = c.alpha();
    eps = c.eps();
    decay = WeightDecay.coupled(c.weightDecay());
    mu = c.momentum();
    sq = buffer("square_avg", 0);
    avg = c.centered() ? buffer("grad_avg", 0) : null;
    buf = mu > 0 ? buffer("momentum_buffer", 0) : null;
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double s = alpha * sq[i] + (1 - alpha) * gi * gi;
      sq[i] = s;
      double d;
      if (avg != null) {
        double a = alpha * avg[i] + (1 - alpha) * gi;
        avg[i] = a;
        d = Math.sqrt(s - a * a) + eps;
      } else {
        d = Math.sqrt(s) + eps;
      }
      if (buf != null) {
        double b = mu * buf[i] + gi / d;
        buf[i] = b;
        theta[i] -= lr * b;
      } else {
        theta[i] -= lr * (gi / d);
      }
    }
  }
}
