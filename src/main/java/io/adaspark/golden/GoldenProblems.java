package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The objective of a golden file, by its {@code problem} field: {@code quadratic} and
 * {@code rosenbrock} here; {@code logreg}, {@code softmax} and any {@code mlp_*} through adaspark's
 * model kernels ({@link ModelProblems}).
 */
public final class GoldenProblems {
  private GoldenProblems() {}

  /** The problem of {@code root}; unknown problems are a {@link GoldenFormatException} naming the file. */
  public static GoldenProblem of(JsonNode root, String fileName) {
    String name = Json.text(root, "problem", fileName);
    GoldenProblem p;
    if (name.equals("quadratic")) {
      p = QuadraticProblem.fromData(root, fileName);
    } else if (name.equals("rosenbrock")) {
      p = new RosenbrockProblem();
    } else if (name.equals("logreg")) {
      p = ModelProblems.logreg(root);
    } else if (name.equals("softmax")) {
      p = ModelProblems.softmax(root);
    } else if (name.startsWith("mlp_")) {
      p = ModelProblems.mlp(root);
    } else {
      throw new GoldenFormatException(fileName + ": unknown problem '" + name
          + "' (known: quadratic, rosenbrock, logreg, softmax, mlp_*)");
    }
    int n = Json.vector(root, "x0", fileName).length;
    if (p.numParams() != n) {
      throw new GoldenFormatException(fileName + ": problem '" + name + "' has " + p.numParams()
          + " parameters but x0 has " + n);
    }
    return p;
  }
}
