package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.io.Serializable;

/**
 * Adan, adaptive Nesterov momentum (Xie et al. 2024, <i>Adan: Adaptive Nesterov Momentum Algorithm
 * for Faster Optimizing Deep Models</i>), as sail-sg {@code adan.Adan} ({@code _single_tensor_adan},
 * {@code max_grad_norm} 0): three moments — of the gradient, of the gradient difference, and of
 * the squared Nesterov-corrected gradient — and a proximal weight decay.
 *
 * <p>Per weight, in the notation of {@code golden-modern/README.md} (m, dm, n start at 0;
 * bc_i = 1 − b_i^t):
 * <pre>
 *   diff = g − g_prev                       (0 at t = 1: the previous gradient is the current one)
 *   m  ← m·b1 + (1 − b1)·g
 *   dm ← dm·b2 + (1 − b2)·diff
 *   q  = diff·b2 + g
 *   n  ← n·b3 + (1 − b3)·q·q
 *   denom = √n/√bc3 + eps
 *   no_prox false: θ ← θ + (−η/bc1)·m/denom + (−η·b2/bc2)·dm/denom   (two separate additions)
 *                  θ ← θ/(1 + η·weight_decay)                        (proximal decay AFTER the step)
 *   no_prox true:  θ ← θ·(1 − η·weight_decay) first, then the two additions
 *   g_prev ← g
 * </pre>
 * g_prev is the previous step's gradient, on the previous mini-batch: the difference mixes
 * batches, as in the reference.
 *
 * <p>Where references differ: {@code optax.adan} with the same betas uses 1 − b2 = 0.08 where
 * sail-sg uses b2 = 0.92 (in q and in front of dm), i.e. its betas are the complements. Followed:
 * sail-sg. Its {@code max_grad_norm} (global clipping) is not offered: use the run's {@code clip}.
 *
 * <p>Defaults (sail-sg's): {@code lr} 1e-3, {@code betas} [0.98, 0.92, 0.99], {@code eps} 1e-8,
 * {@code weight_decay} 0, {@code no_prox} false. Memory: 4 doubles per parameter (m, dm, n, the
 * previous gradient).
 */
public final class Adan extends AbstractOptimizer<Adan.Config> {

  /** sail-sg's {@code betas = (b1, b2, b3)}, written to JSON as {@code [b1, b2, b3]}. */
  public record Betas3(double b1, double b2, double b3) implements Serializable {
    public static final Betas3 DEFAULT = new Betas3(0.98, 0.92, 0.99);

    @JsonValue
    double[] toArray() {
      return new double[] {b1, b2, b3};
    }
  }

  /** Hyper-parameters of {@link Adan}; JSON type {@code adan}. */
  @JsonTypeName("adan")
  public record Config(double lr, Betas3 betas, double eps, @JsonProperty("weight_decay") double weightDecay,
                       @JsonProperty("no_prox") boolean noProx) implements OptimizerConfig {
    static final String TYPE = "adan";

    public Config {
      Params.checkLrEpsDecay(TYPE, lr, eps, weightDecay);
      Checks.inClosedOpen(TYPE, "betas[0]", betas.b1(), 0, 1);
      Checks.inClosedOpen(TYPE, "betas[1]", betas.b2(), 0, 1);
      Checks.inClosedOpen(TYPE, "betas[2]", betas.b3(), 0, 1);
    }

    /** JSON factory: absent or null fields take sail-sg's defaults; {@code max_grad_norm} only 0. */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("max_grad_norm") Double maxGradNorm,
                                  @JsonProperty("no_prox") Boolean noProx) {
      Betas3 b = Betas3.DEFAULT;
      if (betas != null) {
        if (betas.length != 3) {
          throw new InvalidValueException(TYPE, "betas", "a triple [b1, b2, b3]", betas.length + " values");
        }
        b = new Betas3(betas[0], betas[1], betas[2]);
      }
      if (maxGradNorm != null && maxGradNorm != 0) {
        throw new InvalidValueException(TYPE, "max_grad_norm", "0 (clip the gradient with the run's \"clip\")",
            Checks.show(maxGradNorm));
      }
      return new Config(Params.or(lr, 1e-3), b, Params.or(eps, 1e-8), Params.or(weightDecay, 0),
          Params.or(noProx, false));
    }

    @Override
    public String typeName() {
      return TYPE;
    }

    @Override
    public int stateSizePerParam() {
      return 4;
    }

    @Override
    public Adan create(int numParams) {
      return new Adan(this, numParams);
    }
  }

  private final double b1;
  private final double b2;
  private final double b3;
  private final double eps;
  private final double wd;
  private final boolean noProx;
  private final double[] m;
  private final double[] dm;
  private final double[] nq;
  private final double[] negPrev;

  private Adan(Config config, int numParams) {
    super(config, numParams);
    b1 = config.betas().b1();
    b2 = config.betas().b2();
    b3 = config.betas().b3();
    eps = config.eps();
    wd = config.weightDecay();
    noProx = config.noProx();
    m = buffer("exp_avg", 0);
    dm = buffer("exp_avg_diff", 0);
    nq = buffer("exp_avg_sq", 0);
    negPrev = buffer("neg_pre_grad", 0);
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    double bc1 = 1 - Math.pow(b1, t);
    double bc2 = 1 - Math.pow(b2, t);
    double sqrtBc3 = Math.sqrt(1 - Math.pow(b3, t));
    double stepSize = lr / bc1;
    double stepSizeDiff = lr * b2 / bc2;
    double shrink = 1 - lr * wd;
    double prox = 1 + lr * wd;
    for (int i = 0; i < n; i++) {
      double g = grad[i];
      double diff = t == 1 ? 0.0 : negPrev[i] + g;
      m[i] = m[i] * b1 + (1 - b1) * g;
      dm[i] = dm[i] * b2 + (1 - b2) * diff;
      double q = diff * b2 + g;
      nq[i] = nq[i] * b3 + (1 - b3) * q * q;
      double denom = Math.sqrt(nq[i]) / sqrtBc3 + eps;
      double p = theta[i];
      if (noProx) p = p * shrink;
      p = p + ((-stepSize) * m[i]) / denom;
      p = p + ((-stepSizeDiff) * dm[i]) / denom;
      if (!noProx) p = p / prox;
      theta[i] = p;
      negPrev[i] = -g;
    }
  }
}
