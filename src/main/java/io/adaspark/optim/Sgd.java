package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Stochastic gradient descent with optional (heavy-ball or Nesterov) momentum, as torch.optim.SGD.
 *
 * <p>Textbook form: Δw = −η·g (Robbins &amp; Monro 1951); momentum keeps a velocity, an
 * exponentially weighted sum of past gradients (Polyak 1964); Nesterov momentum evaluates the step
 * "ahead" (Nesterov 1983, in the form of Sutskever et al. 2013). Update, per weight, with
 * {@code gi = g + weight_decay·w} (coupled L2):
 * <pre>
 *   without momentum:  w ← w − η·gi
 *   with momentum μ:   B ← gi                        (t = 1: no dampening on the first step)
 *                      B ← μ·B + (1 − dampening)·gi  (t &gt; 1)
 *                      d = gi + μ·B (nesterov) or d = B;   w ← w − η·d
 * </pre>
 * The learning rate multiplies the velocity at use (torch's form), not when it is accumulated
 * (Sutskever's form); they coincide for a constant η. torch copies the gradient into the buffer on
 * the first step, so {@code dampening} has no effect there.
 *
 * <p>Defaults (torch's): {@code lr} required (no default), {@code momentum} 0, {@code dampening} 0,
 * {@code nesterov} false, {@code weight_decay} 0. Nesterov requires momentum &gt; 0 and dampening = 0.
 * Memory: 0 doubles per parameter, 1 with momentum.
 */
public final class Sgd extends AbstractOptimizer<Sgd.Config> {

  /** Hyper-parameters of {@link Sgd}; JSON type {@code sgd}. */
  @JsonTypeName("sgd")
  public record Config(double lr, double momentum, double dampening, boolean nesterov,
                       @JsonProperty("weight_decay") double weightDecay) implements OptimizerConfig {
    static final String TYPE = "sgd";

    public Config {
      Checks.positive(TYPE, "lr", lr);
      Checks.nonNegative(TYPE, "momentum", momentum);
      Checks.inClosed(TYPE, "dampening", dampening, 0, 1);
      Checks.nonNegative(TYPE, "weight_decay", weightDecay);
      if (nesterov && !(momentum > 0)) {
        throw new InvalidValueException(TYPE, "momentum", "a number > 0 when nesterov is true", Checks.show(momentum));
      }
      if (nesterov && dampening != 0) {
        throw new InvalidValueException(TYPE, "dampening", "0 when nesterov is true", Checks.show(dampening));
      }
    }

    /** Plain SGD at learning rate {@code lr}. */
    public static Config of(double lr) {
      return new Config(lr, 0, 0, false, 0);
    }

    /** JSON factory: absent or null fields take torch's defaults; {@code lr} is required. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("momentum") Double momentum,
                                  @JsonProperty("dampening") Double dampening,
                                  @JsonProperty("nesterov") Boolean nesterov,
                                  @JsonProperty("weight_decay") Double weightDecay) {
      if (lr == null) {
        throw new InvalidValueException(TYPE, "lr", "given (a number > 0; SGD has no default)", "nothing");
      }
      return new Config(lr, Params.or(momentum, 0), Params.or(dampening, 0), Params.or(nesterov, false),
          Params.or(weightDecay, 0));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return momentum != 0 ? 1 : 0;
    }

    @Override
    public Sgd create(int numParams) {
      return new Sgd(this, numParams);
    }
  }

  private final double mu;
  private final double dampening;
  private final boolean nesterov;
  private final WeightDecay decay;
  private final double[] buf;

  private Sgd(Config c, int numParams) {
    super(c, numParams);
    mu = c.momentum();
    dampening = c.dampening();
    nesterov = c.nesterov();
    decay = WeightDecay.coupled(c.weightDecay());
    buf = mu != 0 ? buffer("momentum_buffer", 0) : null;
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    if (buf == null) {
      for (int i = 0; i < n; i++) {
        double gi = decay.grad(grad[i], theta[i]);
        theta[i] -= lr * gi;
      }
      return;
    }
    boolean first = t == 1;
    double keep = 1 - dampening;
    for (int i = 0; i < n; i++) {
      double gi = decay.grad(grad[i], theta[i]);
      double b = first ? gi : mu * buf[i] + keep * gi;
      buf[i] = b;
      double d = nesterov ? gi + mu * b : b;
      theta[i] -= lr * d;
    }
  }
}
