package io.adaspark.golden;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads from the golden files' JSON tree; every failure names the file and the path. */
final class Json {
  private Json() {}

  static JsonNode field(JsonNode node, String name, String where) {
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) throw new GoldenFormatException(where + ": missing field '" + name + "'");
    return f;
  }

  static double number(JsonNode node, String name, String where) {
    JsonNode f = field(node, name, where);
    if (!f.isNumber()) throw new GoldenFormatException(where + ": '" + name + "' must be a number, got " + f);
    return f.doubleValue();
  }

  static String text(JsonNode node, String name, String where) {
    JsonNode f = field(node, name, where);
    if (!f.isTextual()) throw new GoldenFormatException(where + ": '" + name + "' must be a string, got " + f);
    return f.textValue();
  }

  static double[] vector(JsonNode node, String name, String where) {
    return toVector(field(node, name, where), where + "." + name);
  }

  static double[] toVector(JsonNode a, String where) {
    if (!a.isArray()) throw new GoldenFormatException(where + ": must be an array of numbers");
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = a.get(i);
      if (!x.isNumber()) throw new GoldenFormatException(where + "[" + i + "]: must be a number, got " + x);
      v[i] = x.doubleValue();
    }
    return v;
  }

  static double[][] matrix(JsonNode node, String name, String where) {
    JsonNode a = field(node, name, where);
    if (!a.isArray()) throw new GoldenFormatException(where + "." + name + ": must be an array of arrays");
    double[][] m = new double[a.size()][];
    for (int i = 0; i < m.length; i++) m[i] = toVector(a.get(i), where + "." + name + "[" + i + "]");
    return m;
  }

  static int[] indices(JsonNode a, String where) {
    if (!a.isArray()) throw new GoldenFormatException(where + ": must be an array of integers");
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = a.get(i);
      if (!x.canConvertToInt() || !x.isIntegralNumber()) {
        throw new GoldenFormatException(where + "[" + i + "]: must be an integer, got " + x);
      }
      v[i] = x.intValue();
    }
    return v;
  }
}
