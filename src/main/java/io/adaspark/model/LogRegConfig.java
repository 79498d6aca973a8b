package io.adaspark.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.adaspark.check.Checks;

/**
 * {@code {"type": "logreg", "l2": 1e-4, "multinomial": false}}: logistic regression.
 *
 * <ul>
 *   <li>{@code l2} (optional, default 0, finite and >= 0): the penalty {@code 0.5·l2·‖W‖²} on
 *       the weights, intercepts excluded. The objective is {@code (1/n) Σ loss + penalty}.</li>
 *   <li>{@code multinomial} (optional, default false): use the softmax model even for two
 *       classes.</li>
 * </ul>
 *
 * {@link #build} gives {@link BinaryLogisticRegression} (sigmoid, d+1 parameters: w then b)
 * for 2 classes, and multinomial (softmax) regression ({@code W[K][d]} row-major then
 * {@code b[K]}, K·d+K parameters) for more classes or when {@code multinomial} is set.
 */
public record LogRegConfig(double l2, boolean multinomial) implements ModelConfig {
  private static final long serialVersionUID = 1L;

  public LogRegConfig {
    Checks.nonNegative("logreg", "l2", l2);
  }

  @JsonCreator
  static LogRegConfig of(@JsonProperty("l2") Double l2, @JsonProperty("multinomial") Boolean multinomial) {
    return new LogRegConfig(l2 == null ? 0.0 : l2, multinomial != null && multinomial);
  }

  @Override
  public Model build(int numFeatures, int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("logreg: the data must have at least 2 classes, got " + numClasses);
    }
    if (numClasses == 2 && !multinomial) return new BinaryLogisticRegression(numFeatures, l2);
    return Mlp.softmaxRegression(numFeatures, numClasses, l2);
  }
}
