package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prodigy (Mishchenko &amp; Defazio 2024, <i>Prodigy: An Expeditiously Adaptive Parameter-Free
 * Learner</i>), as {@code prodigyopt.Prodigy} (konstmish/prodigy, one parameter group,
 * {@code slice_p} 1): Adam whose step size d is estimated on the fly from how far the parameters
 * moved along the gradients; {@code lr} stays at 1 and multiplies the estimate.
 *
 * <p>In the notation of {@code golden-modern/README.md} (d = d0, d_max = d0, d_numerator = 0;
 * p0 = θ₀ copied at the first step; s, m, v = 0; k = steps taken; η = this step's learning rate):
 * <pre>
 *   bc = √(1 − b2^(k+1))/(1 − b1^(k+1)) if use_bias_correction else 1
 *   dlr = d·η·bc
 *   d_numerator ← d_numerator·beta3
 *   gB = g + weight_decay·θ if weight_decay ≠ 0 and not decouple, else g
 *   delta += ((d/d0)·dlr)·dot(gB, p0 − θ)          (summed block by block)
 *   m ← m·b1 + (d·(1 − b1))·gB;   v ← v·b2 + (d·d·(1 − b2))·gB·gB
 *   s ← s·beta3 + ((d/d0)·(d if safeguard_warmup else dlr))·gB;   d_denom += Σ|s|
 *   d_numerator ← d_numerator + delta
 *   d_hat = d_coef·d_numerator/d_denom
 *   if d == d0: d ← max(d, d_hat)                    (exact test: only while d never left d0)
 *   d_max ← max(d_max, d_hat);   d ← min(d_max, d·growth_rate)
 *   denom = √v + d·eps                               (NEW d)
 *   θ ← θ + (−weight_decay·dlr)·θ                   (only if weight_decay ≠ 0 and decouple)
 *   θ ← θ + ((−dlr)·m)/denom                         (dlr of the OLD d)
 * </pre>
 * The first step has θ = p0, so d_hat = 0 and d stays d0. If d_denom is 0 (all-zero gradients
 * so far) the reference returns before changing d, d_numerator, k or θ (m, v, s are already
 * updated); so does this class. With η = 0 (e.g. a schedule reaching 0) the reference skips the
 * statistics and so returns there too: the step changes nothing.
 * The statistics are sums over the whole vector (Prodigy has one d per parameter group).
 *
 * <p>With a schedule: η multiplies the estimate d (the reference's own advice: keep lr = 1 and
 * use a schedule such as cosine for η's shape); {@code dlr} and so the estimate's accumulators
 * follow the scheduled η.
 *
 * <p>Defaults (the reference's): {@code lr} 1, {@code betas} [0.9, 0.999], {@code beta3} √b2
 * (None), {@code eps} 1e-8, {@code weight_decay} 0, {@code decouple} true,
 * {@code use_bias_correction} false, {@code safeguard_warmup} false, {@code d0} 1e-6,
 * {@code d_coef} 1, {@code growth_rate} +∞ (absent from JSON: a job file cannot write infinity),
 * {@code slice_p} 1 (only 1 is supported). Memory: 4 doubles per parameter (p0, s, m, v) and the
 * scalars d, d_max, d_numerator, d_hat, k.
 */
public final class Prodigy extends AbstractOptimizer<Prodigy.Config> {

  /** Hyper-parameters of {@link Prodigy}; JSON type {@code prodigy}. */
  @JsonTypeName("prodigy")
  public record Config(double lr, Betas betas, double beta3, double eps,
                       @JsonProperty("weight_decay") double weightDecay, boolean decouple,
                       @JsonProperty("use_bias_correction") boolean useBiasCorrection,
                       @JsonProperty("safeguard_warmup") boolean safeguardWarmup, double d0,
                       @JsonProperty("d_coef") double dCoef, @JsonProperty("growth_rate") Double growthRate,
                       @JsonProperty("slice_p") int sliceP) implements OptimizerConfig {
    static final String TYPE = "prodigy";

    public Config {
      Params.checkAdamFamily(TYPE, lr, betas, eps, weightDecay);
      Checks.inClosedOpen(TYPE, "beta3", beta3, 0, 1);
      Checks.positive(TYPE, "d0", d0);
      Checks.positive(TYPE, "d_coef", dCoef);
      if (growthRate != null && !(growthRate > 0)) {
        throw new InvalidValueException(TYPE, "growth_rate", "a number > 0 (absent: unbounded)", Checks.show(growthRate));
      }
      if (growthRate != null && growthRate == Double.POSITIVE_INFINITY) growthRate = null;
      if (sliceP != 1) {
        throw new InvalidValueException(TYPE, "slice_p", "1 (slicing the statistics is not supported)",
            Integer.toString(sliceP));
      }
    }

    /** JSON factory: absent or null fields take the reference's defaults ({@code beta3}: √b2). */
    @JsonCreator
    public static Config fromJson(@JsonProperty("lr") Double lr, @JsonProperty("betas") double[] betas,
                                  @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                                  @JsonProperty("beta3") Double beta3, @JsonProperty("eps") Double eps,
                                  @JsonProperty("weight_decay") Double weightDecay,
                                  @JsonProperty("decouple") Boolean decouple,
                                  @JsonProperty("use_bias_correction") Boolean useBiasCorrection,
                                  @JsonProperty("safeguard_warmup") Boolean safeguardWarmup,
                                  @JsonProperty("d0") Double d0, @JsonProperty("d_coef") Double dCoef,
                                  @JsonProperty("growth_rate") Double growthRate,
                                  @JsonProperty("slice_p") Integer sliceP) {
      Betas b = Betas.resolve(TYPE, betas, beta1, beta2);
      return new Config(Params.or(lr, 1.0), b, beta3 == null ? Math.sqrt(b.b2()) : beta3, Params.or(eps, 1e-8),
          Params.or(weightDecay, 0), Params.or(decouple, true), Params.or(useBiasCorrection, false),
          Params.or(safeguardWarmup, false), Params.or(d0, 1e-6), Params.or(dCoef, 1.0), growthRate,
          sliceP == null ? 1 : sliceP);
    }

    /** growth_rate, +∞ when absent. */
    double growth() {
      return growthRate == null ? Double.POSITIVE_INFINITY : growthRate;
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
    public Prodigy create(int numParams) {
      return create(ParamBlocks.single(numParams));
    }

    @Override
    public Prodigy create(ParamBlocks layout) {
      return new Prodigy(this, layout);
    }
  }

  private final ParamBlocks layout;
  private final Config c;
  private final double b1;
  private final double b2;
  private final double[] p0;
  private final double[] s;
  private final double[] m;
  private final double[] v;
  private double d;
  private double dMax;
  private double dNumerator;
  private double dHat;
  private long k;

  private Prodigy(Config config, ParamBlocks layout) {
    super(config, layout.numParams());
    this.layout = layout;
    this.c = config;
    b1 = config.betas().b1();
    b2 = config.betas().b2();
    p0 = buffer("p0", 0);
    s = buffer("s", 0);
    m = buffer("exp_avg", 0);
    v = buffer("exp_avg_sq", 0);
    d = config.d0();
    dMax = config.d0();
  }

  @Override
  public void step(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    if (t == 1) System.arraycopy(theta, 0, p0, 0, n);
    double wd = c.weightDecay();
    boolean coupled = wd != 0 && !c.decouple();
    double bc = c.useBiasCorrection() ? Math.pow(1 - Math.pow(b2, k + 1), 0.5) / (1 - Math.pow(b1, k + 1)) : 1;
    double dlr = d * lr * bc;
    double d0 = c.d0();
    double beta3 = c.beta3();
    double numerator = dNumerator * beta3;
    double delta = 0;
    double denomSum = 0;
    if (!(lr > 0)) return; // the reference skips the statistics, so d_denom = 0 and it returns
    double mScale = d * (1 - b1);
    double vScale = d * d * (1 - b2);
    double sScale = (d / d0) * (c.safeguardWarmup() ? d : dlr);
    double dotScale = (d / d0) * dlr;
    for (ParamBlocks.Block blk : layout.blocks()) {
      int off = blk.offset();
      double dot = 0;
      double abs = 0;
      for (int i = off; i < off + blk.size(); i++) {
        double g = coupled ? grad[i] + wd * theta[i] : grad[i];
        dot += g * (p0[i] - theta[i]);
        m[i] = m[i] * b1 + mScale * g;
        v[i] = v[i] * b2 + vScale * g * g;
        s[i] = s[i] * beta3 + sScale * g;
        abs += Math.abs(s[i]);
      }
      delta += dotScale * dot;
      denomSum += abs;
    }
    if (denomSum == 0) return; // the reference returns here: d, d_numerator, k and theta unchanged
    numerator = numerator + delta;
    dHat = c.dCoef() * numerator / denomSum;
    if (d == d0) d = Math.max(d, dHat);
    dMax = Math.max(dMax, dHat);
    d = Math.min(dMax, d * c.growth());
    dNumerator = numerator;
    double dEps = d * c.eps();
    double decay = -wd * dlr;
    boolean decoupled = wd != 0 && c.decouple();
    for (int i = 0; i < n; i++) {
      double denom = Math.sqrt(v[i]) + dEps;
      if (decoupled) theta[i] = theta[i] + decay * theta[i];
      theta[i] = theta[i] + ((-dlr) * m[i]) / denom;
    }
    k++;
  }

  /** {@code d} after the last step and the {@code d_hat} it computed. */
  @Override
  public Map<String, double[]> lastStep() {
    return Map.of("d", new double[] {d}, "d_hat", new double[] {dHat});
  }

  /** The current step-size estimate d. */
  public double d() {
    return d;
  }

  @Override
  protected Map<String, Double> scalars() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("d", d);
    out.put("d_max", dMax);
    out.put("d_numerator", dNumerator);
    out.put("d_hat", dHat);
    out.put("k", (double) k);
    return out;
  }

  @Override
  protected void restoreScalars(Map<String, Double> in) {
    d = in.get("d");
    dMax = in.get("d_max");
    dNumerator = in.get("d_numerator");
    dHat = in.get("d_hat");
    k = in.get("k").longValue();
  }
}
