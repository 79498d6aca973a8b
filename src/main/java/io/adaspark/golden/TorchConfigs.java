package io.adaspark.golden;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.schedule.LrSchedule;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Maps a golden case's torch optimizer / scheduler (class name + torch keyword arguments) to
 * adaspark configs by writing the JSON a job file would hold ({@code {"type": "adam", ...}}) and
 * deserializing it with a strict mapper, so the job-file path is what the golden tests exercise.
 *
 * <p>torch flags that do not change the math ({@code foreach}, {@code maximize},
 * {@code capturable}, {@code differentiable}, {@code fused}) are dropped when false or null and
 * rejected otherwise; every other hyper-parameter must be one the adaspark config knows.
 */
public final class TorchConfigs {
  private TorchConfigs() {}

  static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private static final Map<String, String> OPTIMIZERS = Map.ofEntries(Map.entry("SGD", "sgd"),
      Map.entry("Adagrad", "adagrad"), Map.entry("RMSprop", "rmsprop"), Map.entry("Adadelta", "adadelta"),
      Map.entry("Adam", "adam"), Map.entry("AdamW", "adamw"), Map.entry("Adamax", "adamax"),
      Map.entry("NAdam", "nadam"), Map.entry("RAdam", "radam"),
      // golden-modern: optax / reference-repository class names
      Map.entry("Lion", "lion"), Map.entry("LAMB", "lamb"), Map.entry("LARS", "lars"),
      Map.entry("Adafactor", "adafactor"), Map.entry("SGDScheduleFree", "schedulefree_sgd"),
      Map.entry("AdamWScheduleFree", "schedulefree_adamw"), Map.entry("Prodigy", "prodigy"),
      Map.entry("Adan", "adan"));
  private static final Map<String, String> SCHEDULERS = Map.of("ExponentialLR", "exponential", "StepLR", "step",
      "CosineAnnealingLR", "cosine", "LinearLR", "linear", "ConstantLR", "constant");
  private static final Set<String> MODERN = Set.of("Lion", "LAMB", "LARS", "Adafactor", "SGDScheduleFree",
      "AdamWScheduleFree", "Prodigy", "Adan");
  private static final Map<String, Double> NON_FINITE = Map.of("Infinity", Double.POSITIVE_INFINITY,
      "inf", Double.POSITIVE_INFINITY, "-Infinity", Double.NEGATIVE_INFINITY);
  private static final Set<String> CODE_PATH_FLAGS = Set.of("foreach", "maximize", "capturable", "differentiable",
      "fused");

  /** The job-file JSON of the case's optimizer. */
  public static ObjectNode optimizerJson(GoldenCase c, String fileName) {
    String where = fileName + " case '" + c.id() + "'";
    String type = OPTIMIZERS.get(c.optimizer());
    if (type == null) {
      java.util.TreeSet<String> classic = new java.util.TreeSet<>(OPTIMIZERS.keySet());
      classic.removeAll(MODERN);
      throw new GoldenFormatException(where + ": unknown optimizer '" + c.optimizer() + "' (known: " + classic
          + ", golden-modern: " + new java.util.TreeSet<>(MODERN) + ")");
    }
    if (c.torchImpl() != null && c.torchImpl().path("maximize").asBoolean(false)) {
      throw new GoldenFormatException(where + ": torch_impl.maximize = true is not supported");
    }
    ObjectNode json = STRICT.createObjectNode();
    json.put("type", type);
    for (Iterator<Map.Entry<String, JsonNode>> it = c.hyperparameters().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (CODE_PATH_FLAGS.contains(key)) {
        if (!v.isNull() && !(v.isBoolean() && !v.booleanValue())) {
          throw new GoldenFormatException(where + ": torch flag " + key + " = " + v + " is not supported");
        }
      } else if (key.equals("decoupled_weight_decay") && (type.equals("adam") || type.equals("adamw"))) {
        // newer torch: Adam(decoupled_weight_decay=True) is AdamW; AdamW reports it as true
        json.put("type", v.asBoolean(false) ? "adamw" : "adam");
      } else if (v.isTextual() && NON_FINITE.containsKey(v.textValue())) {
        // golden-modern writes Prodigy's default growth_rate (+inf) as the string "Infinity"
        json.put(key, NON_FINITE.get(v.textValue()));
      } else if (v.isNull() && type.equals("prodigy") && key.equals("beta3")) {
        // None: the config's default sqrt(b2)
      } else if (type.equals("adafactor") && key.equals("eps") && v.isArray() && v.size() == 2 && v.get(0).isNull()) {
        // eps1 = None: torch.finfo(float64).eps
        json.set(key, STRICT.createArrayNode().add(Math.ulp(1.0)).add(v.get(1)));
      } else {
        json.set(key, v);
      }
    }
    return json;
  }

  /** The job-file JSON of the case's scheduler, or null without one. */
  public static ObjectNode scheduleJson(GoldenCase c, String fileName) {
    if (c.scheduler() == null) return null;
    String where = fileName + " case '" + c.id() + "'";
    String name = c.scheduler().path("name").asText("");
    String type = SCHEDULERS.get(name);
    if (type == null || type.equals("constant")) {
      throw new GoldenFormatException(where + ": unknown scheduler '" + name + "' (known: ExponentialLR, StepLR, "
          + "CosineAnnealingLR, LinearLR)");
    }
    ObjectNode json = STRICT.createObjectNode();
    json.put("type", type);
    JsonNode kwargs = c.scheduler().path("kwargs");
    for (Iterator<Map.Entry<String, JsonNode>> it = kwargs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      boolean defaultLastEpoch = e.getKey().equals("last_epoch") && v.isIntegralNumber() && v.intValue() == -1;
      boolean defaultVerbose = e.getKey().equals("verbose")
          && (v.isNull() || (v.isBoolean() && !v.booleanValue()) || "deprecated".equals(v.asText()));
      if (!defaultLastEpoch && !defaultVerbose) json.set(e.getKey(), v);
    }
    return json;
  }

  /** The adaspark optimizer config of the case (through the job-file JSON). */
  public static OptimizerConfig optimizer(GoldenCase c, String fileName) {
    return read(optimizerJson(c, fileName), OptimizerConfig.class, c, fileName);
  }

  /** The adaspark schedule of the case, or null without a scheduler. */
  public static LrSchedule schedule(GoldenCase c, String fileName) {
    ObjectNode json = scheduleJson(c, fileName);
    return json == null ? null : read(json, LrSchedule.class, c, fileName);
  }

  private static <T> T read(ObjectNode json, Class<T> type, GoldenCase c, String fileName) {
    try {
      return STRICT.treeToValue(json, type);
    } catch (JsonMappingException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
      String why = cause instanceof JsonMappingException jm ? jm.getOriginalMessage() : cause.getMessage();
      throw new GoldenFormatException(fileName + " case '" + c.id() + "': " + json + ": " + why, cause);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new GoldenFormatException(fileName + " case '" + c.id() + "': " + json + ": " + e.getOriginalMessage(), e);
    }
  }
}
