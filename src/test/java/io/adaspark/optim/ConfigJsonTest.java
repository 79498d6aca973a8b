package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.adaspark.check.InvalidValueException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Job-file JSON of the optimizer configs: defaults, both betas forms, round trip, strictness, messages. */
class ConfigJsonTest {
  static Stream<String> configs() {
    return AllConfigs.jsonWithStateSize().keySet().stream();
  }

  private static String messageOf(String json) {
    Exception e = assertThrows(Exception.class, () -> StrictJson.MAPPER.readValue(json, OptimizerConfig.class));
    Throwable root = StrictJson.rootCause(e);
    assertInstanceOf(InvalidValueException.class, root, json);
    return root.getMessage();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void roundTripByTypeName(String json) throws Exception {
    OptimizerConfig c = AllConfigs.parse(json);
    String written = StrictJson.MAPPER.writeValueAsString(c);
    assertTrue(written.startsWith("{\"type\":\"" + c.typeName() + "\""), written);
    assertTrue(!written.contains("weightDecay") && !written.contains("type_name"), written);
    assertEquals(c, StrictJson.MAPPER.readValue(written, OptimizerConfig.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void unknownPropertyFails(String json) {
    String bad = json.substring(0, json.length() - 1) + ",\"bogus\":1}";
    assertThrows(UnrecognizedPropertyException.class, () -> StrictJson.MAPPER.readValue(bad, OptimizerConfig.class));
  }

  @Test
  void adamDefaultsAndCanonicalForm() throws Exception {
    OptimizerConfig c = AllConfigs.parse("{\"type\":\"adam\",\"lr\":0.01,\"betas\":[0.9,0.99]}");
    assertEquals(new Adam.Config(0.01, new Betas(0.9, 0.99), 1e-8, 0, false, true), c);
    assertEquals("{\"type\":\"adam\",\"lr\":0.01,\"betas\":[0.9,0.99],\"eps\":1.0E-8,\"weight_decay\":0.0,"
        + "\"amsgrad\":false,\"bias_correction\":true}", StrictJson.MAPPER.writeValueAsString(c));
    assertEquals(new Adam.Config(1e-3, new Betas(0.9, 0.999), 1e-8, 0, false, true),
        AllConfigs.parse("{\"type\":\"adam\",\"beta1\":0.9}"));
    assertEquals(new Betas(0.8, 0.999), ((Adam.Config) AllConfigs.parse("{\"type\":\"adam\",\"beta1\":0.8}")).betas());
    assertEquals(Adam.Config.defaults(), AllConfigs.parse("{\"type\":\"adam\"}"));
  }

  @Test
  void torchDefaults() {
    assertEquals(new AdamW.Config(1e-3, Betas.DEFAULT, 1e-8, 0.01, false, true), AllConfigs.parse("{\"type\":\"adamw\"}"));
    assertEquals(new Adagrad.Config(0.01, 0, 0, 1e-10, 0), AllConfigs.parse("{\"type\":\"adagrad\"}"));
    assertEquals(new RmsProp.Config(0.01, 0.99, 1e-8, 0, 0, false), AllConfigs.parse("{\"type\":\"rmsprop\"}"));
    assertEquals(new Adadelta.Config(1.0, 0.9, 1e-6, 0), AllConfigs.parse("{\"type\":\"adadelta\"}"));
    assertEquals(new Adamax.Config(2e-3, Betas.DEFAULT, 1e-8, 0), AllConfigs.parse("{\"type\":\"adamax\"}"));
    assertEquals(new NAdam.Config(2e-3, Betas.DEFAULT, 1e-8, 0, 4e-3, false, NAdam.Variant.TORCH),
        AllConfigs.parse("{\"type\":\"nadam\"}"));
    assertEquals(new RAdam.Config(1e-3, Betas.DEFAULT, 1e-8, 0, false), AllConfigs.parse("{\"type\":\"radam\"}"));
    assertEquals(Sgd.Config.of(0.1), AllConfigs.parse("{\"type\":\"sgd\",\"lr\":0.1}"));
  }

  @Test
  void nadamVariantIsWrittenLowerCase() throws Exception {
    String s = StrictJson.MAPPER.writeValueAsString(AllConfigs.parse("{\"type\":\"nadam\",\"variant\":\"simple\"}"));
    assertTrue(s.contains("\"variant\":\"simple\""), s);
  }

  @Test
  void validationMessages() {
    assertEquals("adam: betas[1] must be in [0, 1), got 1.5", messageOf("{\"type\":\"adam\",\"betas\":[0.9,1.5]}"));
    assertEquals("adamw: betas[0] must be in [0, 1), got -0.1", messageOf("{\"type\":\"adamw\",\"beta1\":-0.1}"));
    assertEquals("sgd: lr must be > 0, got -0.1", messageOf("{\"type\":\"sgd\",\"lr\":-0.1}"));
    assertEquals("sgd: lr must be given (a number > 0; SGD has no default), got nothing",
        messageOf("{\"type\":\"sgd\"}"));
    assertEquals("sgd: momentum must be > 0 when nesterov is true, got 0",
        messageOf("{\"type\":\"sgd\",\"lr\":0.1,\"nesterov\":true}"));
    assertEquals("sgd: dampening must be 0 when nesterov is true, got 0.5",
        messageOf("{\"type\":\"sgd\",\"lr\":0.1,\"momentum\":0.9,\"dampening\":0.5,\"nesterov\":true}"));
    assertEquals("radam: weight_decay must be >= 0, got -1", messageOf("{\"type\":\"radam\",\"weight_decay\":-1}"));
    assertEquals("rmsprop: alpha must be in [0, 1], got 1.5", messageOf("{\"type\":\"rmsprop\",\"alpha\":1.5}"));
    assertEquals("nadam: variant must be one of \"torch\", \"simple\", got \"fancy\"",
        messageOf("{\"type\":\"nadam\",\"variant\":\"fancy\"}"));
    assertEquals("adam: betas must be given either as betas: [b1, b2] or as beta1/beta2, not both, got both",
        messageOf("{\"type\":\"adam\",\"betas\":[0.9,0.99],\"beta2\":0.9}"));
    assertEquals("adamax: betas must be a pair [b1, b2], got 3 values",
        messageOf("{\"type\":\"adamax\",\"betas\":[0.9,0.99,0.5]}"));
  }

  @Test
  void strictScalars() {
    assertThrows(MismatchedInputException.class,
        () -> StrictJson.MAPPER.readValue("{\"type\":\"adam\",\"lr\":\"0.1\"}", OptimizerConfig.class));
    assertThrows(MismatchedInputException.class,
        () -> StrictJson.MAPPER.readValue("{\"type\":\"adam\",\"amsgrad\":\"true\"}", OptimizerConfig.class));
    Exception e = assertThrows(Exception.class,
        () -> StrictJson.MAPPER.readValue("{\"type\":\"adamm\"}", OptimizerConfig.class));
    assertTrue(e.getMessage().contains("adamm"), e.getMessage());
  }
}
