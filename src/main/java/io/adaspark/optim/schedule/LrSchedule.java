package io.adaspark.optim.schedule;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;

/**
 * A learning-rate schedule: the lr of each step, computed outside the optimizer math (as in
 * Optax). Closed forms of torch's schedulers; {@code k} is the 0-based index of the step
 * (step k+1 of the update rules uses {@code lr(base, k)}), {@code base} is the optimizer's lr.
 * Registered by type name ({@code "type": "cosine"}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConstantLr.class, name = "constant"),
    @JsonSubTypes.Type(value = StepLr.class, name = "step"),
    @JsonSubTypes.Type(value = ExponentialLr.class, name = "exponential"),
    @JsonSubTypes.Type(value = CosineLr.class, name = "cosine"),
    @JsonSubTypes.Type(value = LinearLr.class, name = "linear"),
    @JsonSubTypes.Type(value = WarmupLr.class, name = "warmup"),
    @JsonSubTypes.Type(value = WsdLr.class, name = "wsd"),
})
public interface LrSchedule extends Serializable {
  double lr(double base, long k);
}
