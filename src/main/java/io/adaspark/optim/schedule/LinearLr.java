package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;

/**
 * Linear ramp of the multiplier, torch's LinearLR:
 * {@code lr_k = base·(start_factor + (end_factor − start_factor)·min(k, total_iters)/total_iters)}.
 * JSON type {@code linear}; defaults {@code start_factor} 1/3, {@code end_factor} 1.0,
 * {@code total_iters} 5 (torch's).
 */
@JsonTypeName("linear")
public record LinearLr(@JsonProperty("start_factor") double startFactor, @JsonProperty("end_factor") double endFactor,
                       @JsonProperty("total_iters") long totalIters) implements LrSchedule {
  public LinearLr {
    Checks.inOpenClosed("linear", "start_factor", startFactor, 0, 1);
    Checks.inClosed("linear", "end_factor", endFactor, 0, 1);
    Checks.atLeast("linear", "total_iters", totalIters, 1);
  }

  /** JSON factory: absent or null fields take torch's defaults. */
  @JsonCreator
  public static LinearLr fromJson(@JsonProperty("start_factor") Double startFactor,
                                  @JsonProperty("end_factor") Double endFactor,
                                  @JsonProperty("total_iters") Long totalIters) {
    return new LinearLr(startFactor == null ? 1.0 / 3 : startFactor, endFactor == null ? 1.0 : endFactor,
        totalIters == null ? 5 : totalIters);
  }

  @Override
  public double lr(double base, long k) {
    return base * (startFactor + (endFactor - startFactor) * Math.min(k, totalIters) / totalIters);
  }
}
