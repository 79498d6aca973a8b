package io.adaspark.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.adaspark.check.InvalidValueException;
import java.util.Locale;

/**
 * Hidden-layer activations of {@link Mlp}, with their derivatives written in terms of the
 * activation's output {@code h} (so the backward pass needs only the stored outputs):
 * <ul>
 *   <li>{@code tanh}: h = tanh(a), h' = 1 - h²</li>
 *   <li>{@code relu}: h = max(a, 0), h' = 1 if a > 0 else 0 (0 at a = 0; a > 0 ⇔ h > 0)</li>
 *   <li>{@code sigmoid}: h = 1/(1+exp(-a)), h' = h·(1 - h); h by {@link Kernels#sigmoid(double[], int, int)},
 *       whose exp has the same bits on every machine</li>
 * </ul>
 */
public enum Activation {
  TANH, RELU, SIGMOID;

  /** The JSON name: {@code tanh}, {@code relu}, {@code sigmoid}. */
  @JsonValue
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The activation named {@code name}, or an {@link InvalidValueException} naming it and the
   * known ones, e.g. {@code mlp: activation must be one of tanh, relu, sigmoid, got "elu"}.
   */
  public static Activation parse(String owner, String field, String name) {
    if (name != null) {
      for (Activation a : values()) if (a.jsonName().equals(name)) return a;
    }
    throw new InvalidValueException(owner, field, "one of tanh, relu, sigmoid",
        name == null ? "null" : "\"" + name + "\"");
  }

  /** Applies the activation in place to {@code v[0..n)}. */
  void apply(double[] v, int n) {
    switch (this) {
      case TANH -> { for (int i = 0; i < n; i++) v[i] = Math.tanh(v[i]); }
      case RELU -> { for (int i = 0; i < n; i++) if (v[i] < 0) v[i] = 0.0; }
      case SIGMOID -> Kernels.sigmoid(v, 0, n);
    }
  }

  /** {@code delta[i] *= act'(·)} given the outputs {@code h[0..n)}. */
  void multiplyDerivative(double[] h, double[] delta, int n) {
    switch (this) {
      case TANH -> { for (int i = 0; i < n; i++) delta[i] *= 1 - h[i] * h[i]; }
      case RELU -> { for (int i = 0; i < n; i++) if (h[i] <= 0) delta[i] = 0.0; }
      case SIGMOID -> { for (int i = 0; i < n; i++) delta[i] *= h[i] * (1 - h[i]); }
    }
  }
}
