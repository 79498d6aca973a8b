package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Golden problems with data (logreg, softmax, mlp_*), evaluated with adaspark's own model
 * kernels ({@code io.adaspark.model}).
 */
public final class ModelProblems {
  private ModelProblems() {}

  public static GoldenProblem logreg(JsonNode root) {
    throw new UnsupportedOperationException("logreg golden problem: model kernels not merged yet");
  }

  public static GoldenProblem softmax(JsonNode root) {
    throw new UnsupportedOperationException("softmax golden problem: model kernels not merged yet");
  }

  public static GoldenProblem mlp(JsonNode root) {
    throw new UnsupportedOperationException("mlp golden problem: model kernels not merged yet");
  }
}
