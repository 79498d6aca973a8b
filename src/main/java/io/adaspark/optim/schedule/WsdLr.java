package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Warm-up, stable, decay (WSD; Hu et al. 2024, "MiniCPM"; Hägele et al. 2024). With
 * N = {@code warmup_steps}, T = {@code total_steps}, D = round(T·{@code decay_fraction}) decay
 * steps starting at S = T − D, m = {@code min_factor}, and k the 0-based step:
 * <pre>
 *   k &lt; N:          lr_k = base·(k + 1)/N                                 (linear warm-up, reaches base at step N)
 *   N ≤ k &lt; S:      lr_k = base                                           (stable)
 *   S ≤ k:          p = min(1, (k − S + 1)/D)
 *                   linear: lr_k = base·(1 − (1 − m)·p)
 *                   cosine: lr_k = base·(m + (1 − m)·(1 + cos(π·p))/2)
 * </pre>
 * So the last step (k = T − 1) uses base·m, and every step before the decay uses the full base
 * lr whatever T is: a run compared at step s &lt; S sees exactly the lr it would see in a longer
 * run, which is what successive-halving rungs need (a whole-horizon decay such as {@code cosine}
 * gives a run stopped at an early rung a still-large lr, and so a noisy, pessimistic loss).
 * Unlike {@code warmup}, the first step is not spent at lr 0. JSON type {@code wsd};
 * {@code total_steps} the run's steps (a job file fills in {@code training.steps} when it is
 * absent; required elsewhere and with a budget in {@code epochs}), {@code warmup_steps} default 0,
 * {@code decay_fraction} in (0, 1] default 0.1, {@code decay} {@code "linear"} (default) or
 * {@code "cosine"}, {@code min_factor} in [0, 1] default 0. Requires N ≤ S.
 */
@JsonTypeName("wsd")
public record WsdLr(@JsonProperty("total_steps") long totalSteps, @JsonProperty("warmup_steps") long warmupSteps,
                    @JsonProperty("decay_fraction") double decayFraction, String decay,
                    @JsonProperty("min_factor") double minFactor) implements LrSchedule {
  public WsdLr {
    Checks.atLeast("wsd", "total_steps", totalSteps, 1);
    Checks.atLeast("wsd", "warmup_steps", warmupSteps, 0);
    Checks.inOpenClosed("wsd", "decay_fraction", decayFraction, 0, 1);
    Checks.inClosed("wsd", "min_factor", minFactor, 0, 1);
    if (!decay.equals("linear") && !decay.equals("cosine")) {
      throw new InvalidValueException("wsd", "decay", "\"linear\" or \"cosine\"", "\"" + decay + "\"");
    }
    long d = Math.max(1, Math.round(totalSteps * decayFraction));
    if (warmupSteps > totalSteps - d) {
      throw new InvalidValueException("wsd", "warmup_steps",
          "an integer <= total_steps − decay steps = " + (totalSteps - d), String.valueOf(warmupSteps));
    }
  }

  /** JSON factory. */
  @JsonCreator
  public static WsdLr fromJson(@JsonProperty("total_steps") Long totalSteps,
                               @JsonProperty("warmup_steps") Long warmupSteps,
                               @JsonProperty("decay_fraction") Double decayFraction,
                               @JsonProperty("decay") String decay,
                               @JsonProperty("min_factor") Double minFactor) {
    if (totalSteps == null) {
      throw new InvalidValueException("wsd", "total_steps",
          "given (an integer >= 1, the run's steps; a job file with training.steps supplies it)", "nothing");
    }
    return new WsdLr(totalSteps, warmupSteps == null ? 0 : warmupSteps, decayFraction == null ? 0.1 : decayFraction,
        decay == null ? "linear" : decay, minFactor == null ? 0 : minFactor);
  }

  /** The number of decay steps, D = max(1, round(T·decay_fraction)). */
  public long decaySteps() {
    return Math.max(1, Math.round(totalSteps * decayFraction));
  }

  @Override
  public double lr(double base, long k) {
    if (k < warmupSteps) return base * (k + 1) / warmupSteps;
    long d = decaySteps();
    long start = totalSteps - d;
    if (k < start) return base;
    double p = Math.min(1.0, (double) (k - start + 1) / d);
    if (decay.equals("cosine")) return base * (minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * p)) / 2);
    return base * (1 - (1 - minFactor) * p);
  }
}
