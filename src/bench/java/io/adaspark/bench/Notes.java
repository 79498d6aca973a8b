package io.adaspark.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures a side notes beside its main one, one value a round per key (bench.json detail). */
final class Notes {
  final Map<String, List<Double>> values = new LinkedHashMap<>();

  void put(String key, double v) {
    values.computeIfAbsent(key, k -> new ArrayList<>()).add(BenchJson.round(v));
  }
}
