package io.adaspark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON output of the benchmark (Spark's Jackson) and number formatting. */
final class BenchJson {
  private BenchJson() {}

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
