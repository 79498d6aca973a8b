package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One optimizer trajectory of a golden file: the torch optimizer and scheduler with their
 * arguments, and the recorded loss, gradient, lr and parameters of every step.
 *
 * @param id unique within the file
 * @param optimizer torch class name, e.g. {@code Adam}
 * @param hyperparameters all resolved torch hyper-parameters
 * @param torchImpl the torch code path flags ({@code foreach}, {@code maximize}), or null
 * @param scheduler {@code {"name": ..., "kwargs": {...}}} or null
 * @param minibatch whether step k uses the file's {@code minibatches[k]}
 * @param steps number of steps T
 * @param lr {@code lr[k]} used by step k+1, or null (no scheduler)
 * @param loss {@code loss[k]} at theta_k (mini-batch loss for mini-batch cases)
 * @param lossFull full-data loss at theta_k (mini-batch cases), or null
 * @param lossFinal full-data loss at theta_T
 * @param grad {@code grad[k]} at theta_k, before weight decay
 * @param params {@code params[k]} = theta_{k+1} (Schedule-Free: the evaluation point x_{k+1})
 * @param recorded the extra per-step state of the modern format ({@code golden-modern/README.md}),
 *     by field name, one row per step: {@code params_y} (Schedule-Free's y_{k+1}), {@code lr_sched},
 *     {@code ckp1}, {@code d}, {@code d_hat} (one value each), {@code trust_ratio} and
 *     {@code clip_denom} (one value per {@code param_layout} block); empty for classic cases
 * @param lossFinalY Schedule-Free's full-data loss at y_T, or null
 */
public record GoldenCase(String id, String optimizer, ObjectNode hyperparameters, JsonNode torchImpl,
                         JsonNode scheduler, boolean minibatch, int steps, double[] lr, double[] loss,
                         double[] lossFull, double lossFinal, double[][] grad, double[][] params,
                         java.util.Map<String, double[][]> recorded, Double lossFinalY) {
  /** Per-step vectors of the modern format, checked against the optimizer's state. */
  public static final java.util.List<String> VECTOR_FIELDS = java.util.List.of("params_y", "trust_ratio",
      "clip_denom");
  /** Per-step numbers of the modern format. */
  public static final java.util.List<String> SCALAR_FIELDS = java.util.List.of("lr_sched", "ckp1", "d", "d_hat");

  /** Reads case number {@code index} of {@code fileName}; checks that every array has T entries. */
  static GoldenCase parse(JsonNode c, String fileName, int index) {
    String where = fileName + " cases[" + index + "]";
    String id = Json.text(c, "id", where);
    where = fileName + " case '" + id + "'";
    JsonNode hp = Json.field(c, "hyperparameters", where);
    if (!hp.isObject()) throw new GoldenFormatException(where + ": 'hyperparameters' must be an object");
    JsonNode sched = c.get("scheduler");
    JsonNode mb = c.get("minibatch");
    JsonNode stepsNode = Json.field(c, "steps", where);
    if (!stepsNode.isIntegralNumber() || stepsNode.intValue() < 1) {
      throw new GoldenFormatException(where + ": 'steps' must be an integer >= 1, got " + stepsNode);
    }
    int steps = stepsNode.intValue();
    GoldenCase gc = new GoldenCase(id, Json.text(c, "optimizer", where), (ObjectNode) hp, c.get("torch_impl"),
        sched == null || sched.isNull() ? null : sched, mb != null && mb.asBoolean(false), steps,
        c.hasNonNull("lr") ? Json.vector(c, "lr", where) : null, Json.vector(c, "loss", where),
        c.hasNonNull("loss_full") ? Json.vector(c, "loss_full", where) : null,
        Json.number(c, "loss_final", where), Json.matrix(c, "grad", where), Json.matrix(c, "params", where),
        recorded(c, where), c.hasNonNull("loss_final_y") ? Json.number(c, "loss_final_y", where) : null);
    gc.checkLengths(where);
    return gc;
  }

  private static java.util.Map<String, double[][]> recorded(JsonNode c, String where) {
    java.util.Map<String, double[][]> m = new java.util.LinkedHashMap<>();
    for (String f : VECTOR_FIELDS) {
      if (c.hasNonNull(f)) m.put(f, Json.matrix(c, f, where));
    }
    for (String f : SCALAR_FIELDS) {
      if (c.hasNonNull(f)) {
        double[] v = Json.vector(c, f, where);
        double[][] rows = new double[v.length][];
        for (int k = 0; k < v.length; k++) rows[k] = new double[] {v[k]};
        m.put(f, rows);
      }
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private void checkLengths(String where) {
    recorded.forEach((name, rows) -> check(where, name, rows.length));
    check(where, "loss", loss.length);
    check(where, "grad", grad.length);
    check(where, "params", params.length);
    if (lr != null) check(where, "lr", lr.length);
    if (lossFull != null) check(where, "loss_full", lossFull.length);
  }

  private void check(String where, String name, int length) {
    if (length != steps) {
      throw new GoldenFormatException(where + ": '" + name + "' has " + length + " entries, steps is " + steps);
    }
  }
}
