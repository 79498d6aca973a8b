package io.adaspark.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"type": "mlp", "hidden": [64, 32], "activation": "tanh", "l2": 0}}: a fully connected
 * network ({@link Mlp}) with softmax cross-entropy output, sizes {@code [d, hidden…, K]}
 * (binary problems get 2 output units).
 *
 * <ul>
 *   <li>{@code hidden} (required, non-empty): hidden layer widths, each an integer >= 1.</li>
 *   <li>{@code activation} ({@code tanh}, {@code relu} or {@code sigmoid}) for every hidden
 *       layer, or {@code activations}: one per hidden layer. Exactly one of the two.</li>
 *   <li>{@code l2} (optional, default 0, finite and >= 0): {@code 0.5·l2·Σ‖W_l‖²}, biases
 *       excluded.</li>
 * </ul>
 *
 * The record holds the normalized form: one activation per hidden layer.
 */
public record MlpConfig(List<Integer> hidden, List<Activation> activations, double l2)
    implements ModelConfig {
  private static final long serialVersionUID = 1L;
  private static final String OWNER = "mlp";

  public MlpConfig {
    if (hidden == null || hidden.isEmpty()) {
      throw new InvalidValueException(OWNER, "hidden", "a non-empty list of integers >= 1",
          hidden == null ? "null" : "[]");
    }
    for (int i = 0; i < hidden.size(); i++) {
      Integer h = hidden.get(i);
      if (h == null) throw new InvalidValueException(OWNER, "hidden[" + i + "]", "an integer >= 1", "null");
      Checks.atLeast(OWNER, "hidden[" + i + "]", h, 1);
    }
    if (activations == null || activations.size() != hidden.size()) {
      throw new InvalidValueException(OWNER, "activations", "a list of " + hidden.size()
          + " activations (one per hidden layer)", activations == null ? "null" : activations.size() + " of them");
    }
    for (int i = 0; i < activations.size(); i++) {
      if (activations.get(i) == null) Activation.parse(OWNER, "activations[" + i + "]", null);
    }
    Checks.nonNegative(OWNER, "l2", l2);
    hidden = List.copyOf(hidden);
    activations = List.copyOf(activations);
  }

  /**
   * The JSON form: {@code activation} (all layers) or {@code activations} (per layer).
   * {@code hidden} is read as JSON so that non-integers ({@code 1.5}, {@code "8"}) are rejected
   * whatever the mapper's coercion settings.
   */
  @JsonCreator
  static MlpConfig of(@JsonProperty("hidden") JsonNode hidden,
                      @JsonProperty("activation") String activation,
                      @JsonProperty("activations") List<String> activations,
                      @JsonProperty("l2") Double l2) {
    if (hidden == null || hidden.isNull() || !hidden.isArray()) {
      throw new InvalidValueException(OWNER, "hidden", "a non-empty list of integers >= 1",
          hidden == null ? "null" : hidden.toString());
    }
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; i < hidden.size(); i++) {
      JsonNode h = hidden.get(i);
      if (!h.isIntegralNumber() || !h.canConvertToInt()) {
        throw new InvalidValueException(OWNER, "hidden[" + i + "]", "an integer >= 1", h.toString());
      }
      widths.add(h.intValue());
    }
    return of(widths, activation, activations, l2);
  }

  /** As {@link #of(JsonNode, String, List, Double)}, from Java values. */
  static MlpConfig of(List<Integer> hidden, String activation, List<String> activations, Double l2) {
    if ((activation == null) == (activations == null)) {
      throw new InvalidValueException(OWNER, "activation", "given, or activations, but not both",
          activation == null ? "neither" : "both");
    }
    int layers = hidden == null ? 0 : hidden.size();
    List<Activation> acts = new ArrayList<>();
    if (activation != null) {
      Activation a = Activation.parse(OWNER, "activation", activation);
      for (int i = 0; i < layers; i++) acts.add(a);
    } else {
      for (int i = 0; i < activations.size(); i++) {
        acts.add(Activation.parse(OWNER, "activations[" + i + "]", activations.get(i)));
      }
    }
    return new MlpConfig(hidden, acts, l2 == null ? 0.0 : l2);
  }

  @Override
  public Model build(int numFeatures, int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("mlp: the data must have at least 2 classes, got " + numClasses);
    }
    int[] sizes = new int[hidden.size() + 2];
    sizes[0] = numFeatures;
    for (int i = 0; i < hidden.size(); i++) sizes[i + 1] = hidden.get(i);
    sizes[sizes.length - 1] = numClasses;
    return Mlp.of(sizes, activations.toArray(new Activation[0]), l2);
  }
}
