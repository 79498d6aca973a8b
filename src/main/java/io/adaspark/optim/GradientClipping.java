package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.io.Serializable;

/**
 * Gradient clipping, applied in place to the objective's gradient before the optimizer (so before
 * any weight decay is added). Either or both of:
 * <ul>
 *   <li>{@code max_value} v: clamp every component to [−v, v] (torch's {@code clip_grad_value_});
 *   <li>{@code max_norm} c: with the global L2 norm ‖g‖, multiply g by c/(‖g‖ + 1e-6) when that
 *       factor is &lt; 1 (torch's {@code clip_grad_norm_}, so the clipped norm is just under c).
 * </ul>
 * With both, the value clamp comes first and the norm is that of the clamped gradient.
 * JSON: {@code {"max_norm": 1.0}}, {@code {"max_value": 5}}, or both; at least one is required.
 *
 * @param maxNorm the largest global L2 norm, or null
 * @param maxValue the largest absolute component, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GradientClipping(@JsonProperty("max_norm") Double maxNorm, @JsonProperty("max_value") Double maxValue)
    implements Serializable {
  private static final String OWNER = "clipping";

  public GradientClipping {
    if (maxNorm == null && maxValue == null) {
      throw new InvalidValueException(OWNER, "max_norm", "given (and/or max_value)", "neither");
    }
    if (maxNorm != null) Checks.positive(OWNER, "max_norm", maxNorm);
    if (maxValue != null) Checks.positive(OWNER, "max_value", maxValue);
  }

  /** JSON factory. */
  @JsonCreator
  public static GradientClipping fromJson(@JsonProperty("max_norm") Double maxNorm,
                                          @JsonProperty("max_value") Double maxValue) {
    return new GradientClipping(maxNorm, maxValue);
  }

  /**
   * Clips {@code grad} in place.
   *
   * @return the global L2 norm before norm clipping (after the value clamp), as torch returns it;
   *     NaN if only {@code max_value} is set
   */
  public double apply(double[] grad) {
    if (maxValue != null) {
      double v = maxValue;
      for (int i = 0; i < grad.length; i++) grad[i] = Math.max(-v, Math.min(v, grad[i]));
    }
    if (maxNorm == null) return Double.NaN;
    double sumSq = 0;
    for (double g : grad) sumSq += g * g;
    double norm = Math.sqrt(sumSq);
    double scale = maxNorm / (norm + 1e-6);
    if (scale < 1) {
      for (int i = 0; i < grad.length; i++) grad[i] *= scale;
    }
    return norm;
  }
}
