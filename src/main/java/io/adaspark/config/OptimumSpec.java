package io.adaspark.config;

import io.adaspark.check.Checks;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * The job file's {@code optimum}: compute f* = min f with MLlib's L-BFGS logistic regression
 * (convex models only). {@code "optimum": true} takes the defaults.
 *
 * @param maxIter L-BFGS iterations at most
 * @param tol L-BFGS convergence tolerance
 */
public record OptimumSpec(int maxIter, double tol) implements Serializable {
  public static final OptimumSpec DEFAULT = new OptimumSpec(1000, 1e-12);

  @JsonCreator
  public static OptimumSpec of(@JsonProperty("max_iter") Integer maxIter, @JsonProperty("tol") Double tol) {
    int it = maxIter == null ? DEFAULT.maxIter : maxIter;
    double t = tol == null ? DEFAULT.tol : tol;
    Checks.atLeast("optimum", "max_iter", it, 1);
    Checks.nonNegative("optimum", "tol", t);
    return new OptimumSpec(it, t);
  }

  @JsonProperty("max_iter") public int maxIter() { return maxIter; }
  @JsonProperty("tol") public double tol() { return tol; }
}
