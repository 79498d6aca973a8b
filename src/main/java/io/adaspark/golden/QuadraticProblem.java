package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The golden {@code quadratic}: {@code f(w) = ½·Σ a_i(w_i − c_i)² + ½·γ·s²},
 * {@code s = Σ u_j(w_j − c_j)}; gradient {@code a_i(w_i − c_i) + γ·u_i·s}. No data batches.
 */
public final class QuadraticProblem implements GoldenProblem {
  private final double[] a;
  private final double[] c;
  private final double[] u;
  private final double gamma;

  public QuadraticProblem(double[] a, double[] c, double[] u, double gamma) {
    if (c.length != a.length || u.length != a.length) {
      throw new IllegalArgumentException("quadratic: a, c and u must have the same length");
    }
    this.a = a.clone();
    this.c = c.clone();
    this.u = u.clone();
    this.gamma = gamma;
  }

  /** From the file's {@code data}: {@code a}, {@code c}, {@code u}, {@code gamma} (and {@code d}, checked). */
  static QuadraticProblem fromData(JsonNode root, String fileName) {
    String where = fileName + ".data";
    JsonNode data = Json.field(root, "data", fileName);
    QuadraticProblem p;
    try {
      p = new QuadraticProblem(Json.vector(data, "a", where), Json.vector(data, "c", where),
          Json.vector(data, "u", where), Json.number(data, "gamma", where));
    } catch (IllegalArgumentException e) {
      throw new GoldenFormatException(where + ": " + e.getMessage(), e);
    }
    if (data.has("d") && data.get("d").asInt() != p.numParams()) {
      throw new GoldenFormatException(where + ": d = " + data.get("d") + " but a has " + p.numParams() + " values");
    }
    return p;
  }

  @Override
  public int numParams() {
    return a.length;
  }

  @Override
  public double lossAndGradient(double[] theta, int[] batch, double[] grad) {
    double s = 0;
    double f = 0;
    for (int i = 0; i < a.length; i++) {
      double r = theta[i] - c[i];
      s += u[i] * r;
      f += a[i] * r * r;
    }
    for (int i = 0; i < a.length; i++) grad[i] = a[i] * (theta[i] - c[i]) + gamma * u[i] * s;
    return 0.5 * f + 0.5 * gamma * s * s;
  }
}
