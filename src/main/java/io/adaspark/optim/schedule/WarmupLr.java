package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.util.Objects;

/**
 * Linear warm-up, then any schedule. With N = {@code warmup_steps} and s = {@code start_factor}:
 * <pre>
 *   k &lt; N:   lr_k = base·(s + (1 − s)·k/N)        (torch's LinearLR from s to 1 over N steps)
 *   k ≥ N:   lr_k = after.lr(base, k − N)          (the after-schedule starts at its own k = 0)
 * </pre>
 * So the first step uses s·base (0 with the default s = 0: that step only fills the optimizer's
 * moments), step N (0-based k = N − 1) uses base·(s + (1 − s)(N − 1)/N), and the
 * after-schedule sees k − N, as if it had started when the warm-up ended. JSON type
 * {@code warmup}; {@code warmup_steps} required (&gt;= 1), {@code start_factor} in [0, 1]
 * (default 0), {@code after} default {@code {"type": "constant"}}.
 */
@JsonTypeName("warmup")
public record WarmupLr(@JsonProperty("warmup_steps") long warmupSteps, @JsonProperty("start_factor") double startFactor,
                       LrSchedule after) implements LrSchedule {
  public WarmupLr {
    Checks.atLeast("warmup", "warmup_steps", warmupSteps, 1);
    Checks.inClosed("warmup", "start_factor", startFactor, 0, 1);
    Objects.requireNonNull(after, "after");
  }

  /** JSON factory. */
  @JsonCreator
  public static WarmupLr fromJson(@JsonProperty("warmup_steps") Long warmupSteps,
                                  @JsonProperty("start_factor") Double startFactor,
                                  @JsonProperty("after") LrSchedule after) {
    if (warmupSteps == null) {
      throw new InvalidValueException("warmup", "warmup_steps", "given (an integer >= 1)", "nothing");
    }
    return new WarmupLr(warmupSteps, startFactor == null ? 0 : startFactor, after == null ? new ConstantLr() : after);
  }

  @Override
  public double lr(double base, long k) {
    if (k >= warmupSteps) return after.lr(base, k - warmupSteps);
    return base * (startFactor + (1 - startFactor) * k / warmupSteps);
  }
}
