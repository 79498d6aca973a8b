package io.adaspark.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds small golden-format files in tests. */
final class GoldenJsonBuilder {
  static final ObjectMapper MAPPER = new ObjectMapper();
  final ObjectNode root = MAPPER.createObjectNode();
  private final ArrayNode cases;

  GoldenJsonBuilder(String problem, double... x0) {
    root.put("schema_version", 1);
    root.put("problem", problem);
    root.set("x0", array(x0));
    cases = root.putArray("cases");
  }

  static ArrayNode array(double... v) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double x : v) a.add(x);
    return a;
  }

  static ArrayNode arrays(double[][] v) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double[] x : v) a.add(array(x));
    return a;
  }

  /** Adds a case; returns it for extra fields (scheduler, lr). */
  ObjectNode addCase(String id, String optimizer, String hyperparametersJson, double[] loss, double lossFinal,
                     double[][] grad, double[][] params) {
    ObjectNode c = cases.addObject();
    c.put("id", id);
    c.put("optimizer", optimizer);
    try {
      c.set("hyperparameters", MAPPER.readTree(hyperparametersJson));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    c.putNull("scheduler");
    c.put("minibatch", false);
    c.put("steps", loss.length);
    c.set("loss", array(loss));
    c.put("loss_final", lossFinal);
    c.set("grad", arrays(grad));
    c.set("params", arrays(params));
    return c;
  }

  GoldenFile file(String name) {
    return GoldenFile.parse(name, root);
  }
}
