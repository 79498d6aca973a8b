package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

/**
 * Cosine annealing, torch's CosineAnnealingLR (Loshchilov &amp; Hutter 2017, without restarts):
 * {@code lr_k = eta_min + (base − eta_min)·(1 + cos(π·k/T_max))/2} for every k; {@code lr_{T_max} =
 * eta_min}, and beyond T_max the lr rises again, as in torch. JSON type {@code cosine};
 * {@code T_max} required, {@code eta_min} default 0.
 */
@JsonTypeName("cosine")
public record CosineLr(@JsonProperty("T_max") long tMax, @JsonProperty("eta_min") double etaMin)
    implements LrSchedule {
  public CosineLr {
    Checks.atLeast("cosine", "T_max", tMax, 1);
    Checks.nonNegative("cosine", "eta_min", etaMin);
  }

  /** JSON factory. */
  @JsonCreator
  public static CosineLr fromJson(@JsonProperty("T_max") Long tMax, @JsonProperty("eta_min") Double etaMin) {
    if (tMax == null) throw new InvalidValueException("cosine", "T_max", "given (an integer >= 1)", "nothing");
    return new CosineLr(tMax, etaMin == null ? 0 : etaMin);
  }

  @Override
  public double lr(double base, long k) {
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * k / tMax)) / 2;
  }
}
