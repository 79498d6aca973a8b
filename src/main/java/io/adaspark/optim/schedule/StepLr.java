package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Step decay, torch's StepLR: {@code lr_k = base·gamma^floor(k/step_size)}. JSON type {@code step};
 * {@code step_size} required, {@code gamma} default 0.1 (torch's).
 */
@JsonTypeName("step")
public record StepLr(@JsonProperty("step_size") long stepSize, double gamma) implements LrSchedule {
  public StepLr {
    Checks.atLeast("step", "step_size", stepSize, 1);
    Checks.positive("step", "gamma", gamma);
  }

  /** JSON factory. */
  @JsonCreator
  public static StepLr fromJson(@JsonProperty("step_size") Long stepSize, @JsonProperty("gamma") Double gamma) {
    if (stepSize == null) throw new InvalidValueException("step", "step_size", "given (an integer >= 1)", "nothing");
    return new StepLr(stepSize, gamma == null ? 0.1 : gamma);
  }

  @Override
  public double lr(double base, long k) {
    return base * Math.pow(gamma, Math.floorDiv(k, stepSize));
  }
}
