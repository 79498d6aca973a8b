package io.adaspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one place the report reads a configuration column back into fields: the canonical JSON of
 * {@code config} (optimizer entry), {@code model} and {@code training}, flattened to dotted keys
 * ({@code schedule.type}) in key order, each value shown by the caller's rule. Used by the
 * optimizer names ({@link Variants}) and the configuration and variant labels ({@link JobAnalysis}).
 */
final class ConfigFields {
  private ConfigFields() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A value as its JSON text: text keeps its quotes (how {@link Variants} tells text options from numbers). */
  static final Function<JsonNode, String> RAW = JsonNode::toString;

  /** A value for a label: text without quotes, a number as the report prints numbers. */
  static final Function<JsonNode, String> SHOWN =
      n -> n.isTextual() ? n.asText() : n.isNumber() ? Report.fmt(n.asDouble()) : n.toString();

  /** The fields of {@code json}, or null when it is not JSON. */
  static Map<String, String> of(String json, Function<JsonNode, String> show) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    flatten("", root, show, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode n, Function<JsonNode, String> show, Map<String, String> out) {
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), show, out);
      }
    } else {
      out.put(prefix, show.apply(n));
    }
  }
}
