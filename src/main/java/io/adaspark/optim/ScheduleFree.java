package io.adaspark.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link ScheduleFreeSgd} and {@link ScheduleFreeAdamW} share (facebookresearch/schedule_free,
 * train mode): the two parameter points, the warmup, the averaging weight and the state.
 *
 * <p>The trainer's θ is y, the <em>gradient point</em> (what the reference's model holds in
 * train mode); z is a state buffer; the <em>evaluation point</em> is
 * {@code x = lerp(y, z, 1 − 1/β)} (what {@code optimizer.eval()} puts into the model), computed by
 * {@link #evaluationPoint} without touching y. Per step k → k+1 (η = this step's learning rate
 * from the run's schedule):
 * <pre>
 *   η_k = η·((k+1)/warmup_steps) if k &lt; warmup_steps else η          (lr_sched)
 *   lr_max ← max(η_k, lr_max);  weight = (k+1)^r · lr_max^weight_lr_power
 *   weight_sum ← weight_sum + weight;  c = weight/weight_sum (0 if weight_sum = 0)   (ckp1)
 * </pre>
 * State: z (1 double per parameter) and the scalars {@code lr_max} (starts at −1),
 * {@code weight_sum}, the last {@code lr_sched} and {@code ckp1}; z starts at θ₀ (copied at the
 * first step, as the reference does).
 *
 * <p>With a schedule: Schedule-Free is meant to replace schedules (its own warmup is
 * {@code warmup_steps}); a run's schedule sets the base η of each step as a torch scheduler would
 * set {@code group['lr']}: the warmup multiplies it, and {@code lr_max} (hence the averaging
 * weights) follows its largest value so far.
 */
abstract class ScheduleFree<C extends OptimizerConfig> extends AbstractOptimizer<C> {
  private final int warmupSteps;
  private final double r;
  private final double weightLrPower;
  /** β of the evaluation point x = lerp(y, z, 1 − 1/β): momentum (SGD) or betas[0] (AdamW). */
  private final double beta;
  protected final double[] z;
  private final double[] x;
  private double lrMax = -1;
  private double weightSum = 0;
  private double lastLr = Double.NaN;
  private double lastC = Double.NaN;

  ScheduleFree(C config, int numParams, int warmupSteps, double r, double weightLrPower, double beta) {
    super(config, numParams);
    this.warmupSteps = warmupSteps;
    this.r = r;
    this.weightLrPower = weightLrPower;
    this.beta = beta;
    z = buffer("z", 0);
    x = new double[numParams];
  }

  /**
   * Advances the schedule-free scalars for this step (t already incremented; k = t − 1), copies
   * θ₀ into z at the first step, and returns {lr_k, c}.
   */
  protected final double[] beginStep(double[] theta, double[] grad, double lr) {
    begin(theta, grad);
    if (t == 1) System.arraycopy(theta, 0, z, 0, n);
    long k = t - 1;
    double sched = k < warmupSteps ? (double) (k + 1) / warmupSteps : 1.0;
    double lrK = lr * sched;
    lrMax = Math.max(lrK, lrMax);
    double weight = Math.pow((double) (k + 1), r) * Math.pow(lrMax, weightLrPower);
    weightSum = weightSum + weight;
    double c = weightSum == 0 ? 0 : weight / weightSum;
    lastLr = lrK;
    lastC = c;
    return new double[] {lrK, c};
  }

  /** y ← lerp(y, z, c); y ← y + (η_k·(β·(1 − c) − 1))·gn; z ← z − η_k·gn, for one element. */
  protected final void update(double[] y, int i, double gn, double lrK, double c) {
    double yi = Params.lerp(y[i], z[i], c);
    y[i] = yi + (lrK * (beta * (1 - c) - 1)) * gn;
    z[i] = z[i] - lrK * gn;
  }

  /** x = lerp(y, z, 1 − 1/β) (θ itself before the first step, when z is not yet set). */
  @Override
  public final double[] evaluationPoint(double[] theta) {
    if (t == 0) return theta;
    double w = 1 - 1 / beta;
    for (int i = 0; i < n; i++) x[i] = Params.lerp(theta[i], z[i], w);
    return x;
  }

  /** {@code lr_sched} and {@code ckp1} of the last step. */
  @Override
  public final Map<String, double[]> lastStep() {
    return Map.of("lr_sched", new double[] {lastLr}, "ckp1", new double[] {lastC});
  }

  @Override
  protected final Map<String, Double> scalars() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("lr_max", lrMax);
    m.put("weight_sum", weightSum);
    m.put("lr_sched", lastLr);
    m.put("ckp1", lastC);
    return m;
  }

  @Override
  protected final void restoreScalars(Map<String, Double> s) {
    lrMax = s.get("lr_max");
    weightSum = s.get("weight_sum");
    lastLr = s.get("lr_sched");
    lastC = s.get("ckp1");
  }
}
