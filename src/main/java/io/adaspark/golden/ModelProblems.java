package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.adaspark.data.DenseBlock;
import io.adaspark.model.Activation;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.MlpConfig;
import io.adaspark.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Golden problems with data (logreg, softmax, mlp_*), evaluated with adaspark's own model
 * kernels ({@code io.adaspark.model}) on a {@link DenseBlock} built from {@code data.X} and
 * {@code data.y}. The objective is the mean loss over the batch (all n rows, or the mini-batch
 * given to {@link GoldenProblem#lossAndGradient}) plus the model's penalty, exactly as the
 * training loop computes it: {@code (Σ loss)/m + penalty}, gradient likewise.
 */
public final class ModelProblems {
  private ModelProblems() {}

  /** Binary logistic regression with {@code data.lambda} as the L2 coefficient. */
  public static GoldenProblem logreg(JsonNode root) {
    JsonNode data = data(root);
    DenseBlock block = block(data);
    double lambda = require(data, "lambda").asDouble();
    return problem(new LogRegConfig(lambda, false).build(block.numFeatures(), 2), block);
  }

  /** Multinomial logistic regression, K = {@code data.K} classes, no regularization. */
  public static GoldenProblem softmax(JsonNode root) {
    JsonNode data = data(root);
    DenseBlock block = block(data);
    int k = require(data, "K").asInt();
    return problem(new LogRegConfig(0, true).build(block.numFeatures(), k), block);
  }

  /**
   * MLP with {@code data.sizes} ({@code [d, hidden…, K]}, any depth) and
   * {@code data.hidden_activations} (tanh, relu or sigmoid; anything else is an error naming
   * it), softmax cross-entropy output, no regularization.
   */
  public static GoldenProblem mlp(JsonNode root) {
    JsonNode data = data(root);
    DenseBlock block = block(data);
    JsonNode sizesNode = require(data, "sizes");
    JsonNode actsNode = require(data, "hidden_activations");
    int[] sizes = new int[sizesNode.size()];
    for (int i = 0; i < sizes.length; i++) sizes[i] = sizesNode.get(i).asInt();
    if (sizes.length < 3 || actsNode.size() != sizes.length - 2 || sizes[0] != block.numFeatures()) {
      throw new IllegalArgumentException("golden mlp: sizes " + Arrays.toString(sizes) + " need "
          + (sizes.length - 2) + " hidden_activations (got " + actsNode.size() + ") and d = "
          + block.numFeatures() + " first");
    }
    List<Integer> hidden = new ArrayList<>();
    List<Activation> acts = new ArrayList<>();
    for (int l = 1; l < sizes.length - 1; l++) {
      hidden.add(sizes[l]);
      acts.add(Activation.parse("golden mlp", "hidden_activations[" + (l - 1) + "]",
          actsNode.get(l - 1).asText()));
    }
    Model model = new MlpConfig(hidden, acts, 0).build(sizes[0], sizes[sizes.length - 1]);
    return problem(model, block);
  }

  private static GoldenProblem problem(Model model, DenseBlock block) {
    return new GoldenProblem() {
      @Override public int numParams() { return model.numParams(); }

      @Override public io.adaspark.optim.ParamBlocks paramBlocks() { return model.paramBlocks(); }

      @Override public double lossAndGradient(double[] theta, int[] batch, double[] grad) {
        Arrays.fill(grad, 0.0);
        int m = batch == null ? block.numRows() : batch.length;
        double loss = model.addLossGradient(theta, block, batch, m, grad);
        for (int p = 0; p < grad.length; p++) grad[p] /= m;
        return loss / m + model.penalty(theta, grad);
      }
    };
  }

  private static JsonNode data(JsonNode root) {
    return require(root, "data");
  }

  private static JsonNode require(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException("golden file: missing field " + field);
    return v;
  }

  /** {@code X} (n rows of d) row-major and {@code y} as class indices. */
  private static DenseBlock block(JsonNode data) {
    JsonNode xs = require(data, "X");
    JsonNode ys = require(data, "y");
    int n = xs.size();
    int d = n == 0 ? 0 : xs.get(0).size();
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      JsonNode row = xs.get(i);
      if (row.size() != d) throw new IllegalArgumentException("golden file: X[" + i + "] has " + row.size() + " values, expected " + d);
      for (int l = 0; l < d; l++) x[i * d + l] = row.get(l).asDouble();
      y[i] = ys.get(i).asDouble();
    }
    return new DenseBlock(n, d, x, y);
  }
}
