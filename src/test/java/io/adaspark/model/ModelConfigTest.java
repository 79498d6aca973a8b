package io.adaspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.check.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON parsing, validation messages, build() shapes, and seeded initialization. */
class ModelConfigTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static ModelConfig parse(String json) throws JsonProcessingException {
    return MAPPER.readValue(json, ModelConfig.class);
  }

  /** The validation message, unwrapped from Jackson's exception. */
  static String invalid(String json) {
    Throwable e = assertThrows(Exception.class, () -> parse(json));
    while (!(e instanceof InvalidValueException) && e.getCause() != null) e = e.getCause();
    assertInstanceOf(InvalidValueException.class, e, () -> "for " + json);
    return e.getMessage();
  }

  @Test
  void logregParsesAndBuildsBinaryOrMultinomial() throws Exception {
    ModelConfig c = parse("{\"type\":\"logreg\",\"l2\":1e-4}");
    assertEquals(new LogRegConfig(1e-4, false), c);
    Model bin = c.build(10, 2);
    assertInstanceOf(BinaryLogisticRegression.class, bin);
    assertEquals(11, bin.numParams());
    Model multi = c.build(10, 4);
    assertInstanceOf(Mlp.class, multi);
    assertEquals(44, multi.numParams());
    assertEquals(4, multi.numClasses());
    Model forced = parse("{\"type\":\"logreg\",\"l2\":0,\"multinomial\":true}").build(10, 2);
    assertEquals(22, forced.numParams());
    assertEquals(new LogRegConfig(0, false), parse("{\"type\":\"logreg\"}"));
  }

  @Test
  void mlpParsesEitherActivationForm() throws Exception {
    ModelConfig c = parse("{\"type\":\"mlp\",\"hidden\":[64,32],\"activation\":\"tanh\"}");
    assertEquals(new MlpConfig(List.of(64, 32), List.of(Activation.TANH, Activation.TANH), 0), c);
    ModelConfig per = parse("{\"type\":\"mlp\",\"hidden\":[5,3],\"activations\":[\"relu\",\"sigmoid\"],\"l2\":0.5}");
    assertEquals(new MlpConfig(List.of(5, 3), List.of(Activation.RELU, Activation.SIGMOID), 0.5), per);
    Mlp m = (Mlp) per.build(7, 2);
    assertArrayEquals(new int[] {7, 5, 3, 2}, m.sizes());
    assertEquals(7 * 5 + 5 + 5 * 3 + 3 + 3 * 2 + 2, m.numParams());
  }

  @Test
  void configsRoundTripThroughJson() throws Exception {
    for (ModelConfig c : List.of(new LogRegConfig(0.25, true),
        new MlpConfig(List.of(4, 2), List.of(Activation.RELU, Activation.TANH), 1e-3))) {
      String json = MAPPER.writerFor(ModelConfig.class).writeValueAsString(c);
      assertTrue(json.contains("\"type\":"), json);
      assertEquals(c, parse(json), json);
    }
  }

  @Test
  void strictParsingRejectsUnknownTypesAndFields() {
    assertThrows(JsonProcessingException.class, () -> parse("{\"type\":\"svm\"}"));
    assertThrows(JsonProcessingException.class, () -> parse("{\"type\":\"logreg\",\"lambda\":1}"));
    assertThrows(JsonProcessingException.class,
        () -> parse("{\"type\":\"mlp\",\"hidden\":[3],\"activation\":\"tanh\",\"dropout\":0.5}"));
  }

  @Test
  void validationMessagesNameTheField() {
    assertEquals("mlp: hidden[1] must be an integer >= 1, got 0",
        invalid("{\"type\":\"mlp\",\"hidden\":[64,0],\"activation\":\"tanh\"}"));
    assertEquals("mlp: hidden[0] must be an integer >= 1, got 1.5",
        invalid("{\"type\":\"mlp\",\"hidden\":[1.5],\"activation\":\"tanh\"}"));
    assertEquals("mlp: hidden[0] must be an integer >= 1, got \"8\"",
        invalid("{\"type\":\"mlp\",\"hidden\":[\"8\"],\"activation\":\"tanh\"}"));
    assertEquals("mlp: hidden must be a non-empty list of integers >= 1, got []",
        invalid("{\"type\":\"mlp\",\"hidden\":[],\"activation\":\"tanh\"}"));
    assertEquals("mlp: hidden must be a non-empty list of integers >= 1, got null",
        invalid("{\"type\":\"mlp\",\"activation\":\"tanh\"}"));
    assertEquals("mlp: activation must be one of tanh, relu, sigmoid, got \"elu\"",
        invalid("{\"type\":\"mlp\",\"hidden\":[3],\"activation\":\"elu\"}"));
    assertEquals("mlp: activations[1] must be one of tanh, relu, sigmoid, got \"Tanh\"",
        invalid("{\"type\":\"mlp\",\"hidden\":[3,3],\"activations\":[\"relu\",\"Tanh\"]}"));
    assertEquals("mlp: activations must be a list of 2 activations (one per hidden layer), got 1 of them",
        invalid("{\"type\":\"mlp\",\"hidden\":[3,3],\"activations\":[\"relu\"]}"));
    assertTrue(invalid("{\"type\":\"mlp\",\"hidden\":[3],\"activation\":\"relu\",\"activations\":[\"relu\"]}")
        .endsWith("got both"));
    assertTrue(invalid("{\"type\":\"mlp\",\"hidden\":[3]}").endsWith("got neither"));
    assertEquals("mlp: l2 must be >= 0, got -1",
        invalid("{\"type\":\"mlp\",\"hidden\":[3],\"activation\":\"relu\",\"l2\":-1}"));
    assertEquals("logreg: l2 must be >= 0, got -0.5", invalid("{\"type\":\"logreg\",\"l2\":-0.5}"));
  }

  @Test
  void initializationIsSeededZerosForLogreg() {
    Model bin = new LogRegConfig(0, false).build(5, 2);
    Model soft = new LogRegConfig(0, false).build(5, 3);
    assertArrayEquals(new double[6], bin.initialParameters(42));
    assertArrayEquals(new double[18], soft.initialParameters(42));
    Model mlp = new MlpConfig(List.of(6), List.of(Activation.TANH), 0).build(5, 3);
    assertArrayEquals(mlp.initialParameters(7), mlp.initialParameters(7));
    assertNotEquals(mlp.initialParameters(7)[0], mlp.initialParameters(8)[0]);
  }

  /** Sample variance and mean of {@code theta[from .. from+count)}. */
  static double[] moments(double[] theta, int from, int count) {
    double s = 0, s2 = 0;
    for (int i = from; i < from + count; i++) {
      s += theta[i];
      s2 += theta[i] * theta[i];
    }
    double mean = s / count;
    return new double[] {mean, s2 / count - mean * mean};
  }

  @Test
  void glorotAndHeVariancesAsDocumented() {
    int d = 400, h1 = 300, h2 = 200, k = 10;
    Mlp m = (Mlp) new MlpConfig(List.of(h1, h2), List.of(Activation.RELU, Activation.TANH), 0).build(d, k);
    double[] theta = m.initialParameters(123);
    int w1 = 0, b1 = d * h1, w2 = b1 + h1, b2 = w2 + h1 * h2, w3 = b2 + h2, b3 = w3 + h2 * k;
    // layer 1 (relu): He-normal N(0, 2/in)
    double[] he = moments(theta, w1, d * h1);
    assertEquals(2.0 / d, he[1], 0.03 * 2.0 / d, "He variance");
    assertEquals(0, he[0], 0.01);
    double[] g2 = moments(theta, w2, h1 * h2);
    double limit2 = Math.sqrt(6.0 / (h1 + h2));
    assertEquals(2.0 / (h1 + h2), g2[1], 0.03 * 2.0 / (h1 + h2), "Glorot variance layer 2");
    double max = 0;
    for (int i = w2; i < b2; i++) max = Math.max(max, Math.abs(theta[i]));
    assertTrue(max <= limit2 && max > 0.99 * limit2, "Glorot uniform bound " + max + " vs " + limit2);
    double[] g3 = moments(theta, w3, h2 * k);
    assertEquals(2.0 / (h2 + k), g3[1], 0.15 * 2.0 / (h2 + k), "Glorot variance output layer");
    for (int[] bias : new int[][] {{b1, h1}, {b2, h2}, {b3, k}}) {
      for (int i = bias[0]; i < bias[0] + bias[1]; i++) assertEquals(0.0, theta[i], "bias " + i);
    }
  }
}
