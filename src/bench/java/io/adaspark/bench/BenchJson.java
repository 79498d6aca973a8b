package io.adaspark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON output of the benchmark (Spark's Jackson) and number formatting. */
final class BenchJson {
  private BenchJson() {}

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A JSON object in the order given: {@code object("a", 1, "b", 2)} is {"a": 1, "b": 2}. The
   * map is mutable, for the entries a caller adds after.
   */
  static java.util.Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("a key without a value");
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  /** Rounds to 6 significant digits for the JSON (NaN/infinite become null). */
  static Double round(double v) {
    if (!Double.isFinite(v)) return null;
    if (v == 0) return 0.0;
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
  }

  /** Each value {@link #round(double) rounded}, in order. */
  static java.util.List<Double> round(double[] v) {
    java.util.List<Double> out = new java.util.ArrayList<>(v.length);
    for (double x : v) out.add(round(x));
    return out;
  }

  /** A figure for tables: seconds with 4 significant digits, or "n/a". */
  static String fmt(double v) {
    if (!Double.isFinite(v)) return "n/a";
    return String.format("%.4g", v);
  }
}
