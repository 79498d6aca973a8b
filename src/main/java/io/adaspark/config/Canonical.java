package io.adaspark.config;

import io.adaspark.train.TrainingSpec;
import io.adaspark.train.RunSpec;

import io.adaspark.data.DataSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Canonical JSON of resolved configurations (sorted keys, every default written out) and the
 * stable run id derived from it.
 */
public final class Canonical {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private Canonical() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * One optimizer entry in the job file's own form: the optimizer's fields (with its
   * {@code type}), plus {@code schedule} and {@code clip} when present.
   */
  public static ObjectNode runConfig(RunSpec spec) {
    ObjectNode n = MAPPER.valueToTree(spec.optimizer());
    if (spec.schedule() != null) n.set("schedule", MAPPER.valueToTree(spec.schedule()));
    if (spec.clip() != null) n.set("clip", MAPPER.valueToTree(spec.clip()));
    return sorted(n);
  }

  /**
   * The stable id of a run: the first 16 hex digits of the SHA-256 of the canonical JSON of
   * everything that determines its trajectory (data, model, training, optimizer entry, seed).
   * Equal across reruns of the same job; any change of configuration gives a new id.
   */
  public static String runId(JobSpec job, RunSpec spec, long seed) {
    return runId(job.data(), job.model(), job.training(), spec, seed);
  }

  /**
   * The run id of one point of a sweep: its model and training variant (of which only what
   * determines the trajectory counts, see {@link TrainingSpec#identity()}), its optimizer entry
   * and its seed.
   */
  public static String runId(DataSpec data, io.adaspark.model.ModelConfig model, TrainingSpec training,
                             RunSpec spec, long seed) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("data", MAPPER.valueToTree(data));
    n.set("model", MAPPER.valueToTree(model));
    n.set("training", training.withSeed(seed).identity());
    n.set("optimizer", runConfig(spec));
    n.put("seed", seed);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(MAPPER.writeValueAsString(sorted(n)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deep copy of an object node with keys sorted at every level. */
  static ObjectNode sorted(ObjectNode in) {
    ObjectNode out = MAPPER.createObjectNode();
    java.util.List<String> names = new java.util.ArrayList<>();
    in.fieldNames().forEachRemaining(names::add);
    java.util.Collections.sort(names);
    for (String f : names) {
      JsonNode v = in.get(f);
      out.set(f, v.isObject() ? sorted((ObjectNode) v) : v);
    }
    return out;
  }

  public static String toJson(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
