package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** The base learning rate at every step: {@code lr_k = base}. JSON type {@code constant}. */
@JsonTypeName("constant")
public record ConstantLr() implements LrSchedule {
  /** JSON factory (no fields). */
  @JsonCreator
  public static ConstantLr create() {
    return new ConstantLr();
  }

  @Override
  public double lr(double base, long k) {
    return base;
  }
}
