package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loss and gradient of the model kernels against every recorded (loss[k], grad[k]) of every case
 * of the golden files with data, at theta_k (x0, then params[k-1]), with the golden tolerance
 * {@code |v - ref| <= 1e-10·|ref| + 1e-12·max(1, max|ref|)}.
 */
class ModelProblemsTest {
  static JsonNode load(String name) throws IOException {
    return new ObjectMapper().readTree(io.adaspark.TestSpark.golden().resolve(name + ".json").toFile());
  }

  static double[] vec(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
    return v;
  }

  static int[] ints(JsonNode a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
    return v;
  }

  /** Largest scaled error |v-ref| / (1e-10|ref| + 1e-12 max(1, max|ref|)); <= 1 passes. */
  static double scaledError(double[] v, double[] ref) {
    assertEquals(ref.length, v.length, "length");
    double max = 1;
    for (double r : ref) max = Math.max(max, Math.abs(r));
    double worst = 0;
    for (int j = 0; j < ref.length; j++) {
      double e = Math.abs(v[j] - ref[j]) / (1e-10 * Math.abs(ref[j]) + 1e-12 * max);
      if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }
    return worst;
  }

  @ParameterizedTest
  @ValueSource(strings = {"logreg", "softmax", "mlp_tanh", "mlp_relu"})
  void lossAndGradientMatchEveryRecordedStep(String name) throws IOException {
    JsonNode root = load(name);
    Function<JsonNode, GoldenProblem> build = switch (name) {
      case "logreg" -> ModelProblems::logreg;
      case "softmax" -> ModelProblems::softmax;
      default -> ModelProblems::mlp;
    };
    GoldenProblem problem = build.apply(root);
    double[] x0 = vec(root.get("x0"));
    assertEquals(root.get("param_layout").get("n_params").asInt(), problem.numParams());
    int checked = 0, minibatchSteps = 0;
    double worstLoss = 0, worstGrad = 0;
    for (JsonNode c : root.get("cases")) {
      boolean minibatch = c.get("minibatch").asBoolean();
      int steps = c.get("steps").asInt();
      for (int k = 0; k < steps; k++) {
        double[] theta = k == 0 ? x0 : vec(c.get("params").get(k - 1));
        int[] batch = minibatch ? ints(root.get("minibatches").get(k)) : null;
        double[] grad = new double[problem.numParams()];
        double loss = problem.lossAndGradient(theta, batch, grad);
        double le = scaledError(new double[] {loss}, new double[] {c.get("loss").get(k).asDouble()});
        double ge = scaledError(grad, vec(c.get("grad").get(k)));
        if (le > 1 || ge > 1) {
          fail(name + " case " + c.get("id").asText() + " step " + k + ": scaled error loss " + le
              + ", grad " + ge);
        }
        worstLoss = Math.max(worstLoss, le);
        worstGrad = Math.max(worstGrad, ge);
        checked++;
        if (minibatch) minibatchSteps++;
      }
    }
    System.out.printf("%s: %d steps checked (%d mini-batch), worst scaled error loss %.3g grad %.3g%n",
        name, checked, minibatchSteps, worstLoss, worstGrad);
    assertTrue(checked > 500, "too few steps checked: " + checked);
    if (name.equals("mlp_tanh")) assertTrue(minibatchSteps > 0, "no mini-batch case checked");
  }

  @Test
  void unknownActivationIsNamedInTheError() throws IOException {
    JsonNode root = load("mlp_relu");
    ((ArrayNode) root.get("data").get("hidden_activations")).set(1, "swish");
    String m = assertThrows(IllegalArgumentException.class, () -> ModelProblems.mlp(root)).getMessage();
    assertTrue(m.contains("\"swish\"") && m.contains("hidden_activations[1]"), m);
  }

  @Test
  void sigmoidAndDeeperNetworksAreBuiltFromTheJson() throws IOException {
    JsonNode root = load("mlp_relu");
    ((ArrayNode) root.get("data").get("hidden_activations")).set(0, "sigmoid");
    GoldenProblem p = ModelProblems.mlp(root);
    assertEquals(83, p.numParams());
    double[] g = new double[83];
    double loss = p.lossAndGradient(vec(root.get("x0")), new int[] {0, 5, 7}, g);
    assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
  }
}
