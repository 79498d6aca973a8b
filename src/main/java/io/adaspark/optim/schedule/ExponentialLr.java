package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Exponential decay, torch's ExponentialLR and the course's η_t = η_0·γ^t:
 * {@code lr_k = base·gamma^k}. JSON type {@code exponential}; {@code gamma} required.
 */
@JsonTypeName("exponential")
public record ExponentialLr(double gamma) implements LrSchedule {
  public ExponentialLr {
    Checks.positive("exponential", "gamma", gamma);
  }

  /** JSON factory. */
  @JsonCreator
  public static ExponentialLr fromJson(@JsonProperty("gamma") Double gamma) {
    if (gamma == null) throw new InvalidValueException("exponential", "gamma", "given (a number > 0)", "nothing");
    return new ExponentialLr(gamma);
  }

  @Override
  public double lr(double base, long k) {
    return base * Math.pow(gamma, k);
  }
}
