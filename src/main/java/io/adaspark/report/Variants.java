package io.adaspark.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the report calls an optimizer: the type plus its structural options, so that SGD, SGD
 * with momentum and Nesterov SGD, or Adam and AMSGrad, are compared side by side, each with its
 * own best configuration. Structural options are those that differ between configurations of
 * the same type in the report: a boolean that is true ({@code +nesterov}, {@code +amsgrad}), a
 * text value ({@code +variant=simple}, {@code +schedule=cosine}), and a non-zero momentum
 * ({@code +momentum}). Numeric hyper-parameters (lr, eps, betas, weight decay, the momentum's
 * value, schedule numbers) are what the configurations of one optimizer differ in.
 */
final class Variants {
  private Variants() {}

  /** The optimizer name of each configuration ({@code config} JSON), from (type, config) pairs. */
  static Map<String, String> names(List<String[]> typeAndConfig) {
    Map<String, Map<String, Map<String, String>>> byType = new TreeMap<>();
    for (String[] tc : typeAndConfig) {
      Map<String, String> parsed = ConfigFields.of(tc[1], ConfigFields.RAW);
      Map<String, String> f = parsed == null ? new TreeMap<>() : parsed;
      byType.computeIfAbsent(tc[0], k -> new LinkedHashMap<>()).put(tc[1], f);
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, Map<String, Map<String, String>>> t : byType.entrySet()) {
      Map<String, Map<String, String>> configs = t.getValue();
      TreeSet<String> keys = new TreeSet<>();
      for (Map<String, String> f : configs.values()) keys.addAll(f.keySet());
      for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
        StringBuilder name = new StringBuilder(t.getKey());
        for (String k : keys) {
          if (k.equals("type")) continue;
          String v = c.getValue().get(k);
          if (!varies(configs, k)) continue;
          if (k.equals("momentum")) {
            if (v != null && nonZero(v) && configs.values().stream().anyMatch(o -> !nonZero(o.get(k)))) {
              name.append("+momentum");
            }
          } else if ("true".equals(v)) {
            name.append('+').append(k);
          } else if (v != null && v.startsWith("\"")) {
            name.append('+').append(k.equals("schedule.type") ? "schedule" : k).append('=')
                .append(v, 1, v.length() - 1);
          }
        }
        out.put(c.getKey(), name.toString());
      }
    }
    return out;
  }

  private static boolean nonZero(String v) {
    if (v == null) return false;
    try {
      return Double.parseDouble(v) != 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean varies(Map<String, Map<String, String>> configs, String key) {
    String first = null;
    boolean firstSet = false;
    for (Map<String, String> f : configs.values()) {
      String v = f.get(key);
      if (key.equals("momentum")) v = String.valueOf(nonZero(v));
      if (!firstSet) {
        first = v;
        firstSet = true;
      } else if (!java.util.Objects.equals(first, v)) {
        return true;
      }
    }
    return false;
  }
}
