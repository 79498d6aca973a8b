package io.adaspark.optim;

import com.fasterxml.jackson.annotation.JsonValue;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.io.Serializable;

/**
 * The decay rates (b1, b2) of the Adam family, written to JSON as torch's {@code betas: [b1, b2]}.
 * Job files may give {@code betas} or {@code beta1}/{@code beta2}, not both.
 */
public record Betas(double b1, double b2) implements Serializable {
  /** torch's default (0.9, 0.999). */
  public static final Betas DEFAULT = new Betas(0.9, 0.999);

  @JsonValue
  double[] toArray() {
    return new double[] {b1, b2};
  }

  /** Both in [0, 1); the messages name {@code betas[0]}/{@code betas[1]} as torch does. */
  Betas check(String owner) {
    Checks.inClosedOpen(owner, "betas[0]", b1, 0, 1);
    Checks.inClosedOpen(owner, "betas[1]", b2, 0, 1);
    return this;
  }

  /** Resolves the JSON forms: {@code betas} array, or {@code beta1}/{@code beta2}, else {@link #DEFAULT}. */
  static Betas resolve(String owner, double[] betas, Double beta1, Double beta2) {
    return resolve(owner, betas, beta1, beta2, DEFAULT);
  }

  /** As {@link #resolve(String, double[], Double, Double)} with another default (e.g. Lion's (0.9, 0.99)). */
  static Betas resolve(String owner, double[] betas, Double beta1, Double beta2, Betas dflt) {
    if (betas != null) {
      if (beta1 != null || beta2 != null) {
        throw new InvalidValueException(owner, "betas", "given either as betas: [b1, b2] or as beta1/beta2, not both",
            "both");
      }
      if (betas.length != 2) {
        throw new InvalidValueException(owner, "betas", "a pair [b1, b2]", betas.length + " values");
      }
      return new Betas(betas[0], betas[1]);
    }
    return new Betas(Params.or(beta1, dflt.b1), Params.or(beta2, dflt.b2));
  }
}
