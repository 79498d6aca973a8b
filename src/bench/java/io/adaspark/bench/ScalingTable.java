package io.adaspark.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scaling table: median step time against one variable, each point with its load. */
final class ScalingTable {
  final String name;
  final String title;
  final String variable;
  final String command;
  final List<Long> x = new ArrayList<>();
  final List<Double> seconds = new ArrayList<>();
  final List<LoadMonitor.Load> loads = new ArrayList<>();

  ScalingTable(String name, String title, String variable, String command) {
    this.name = name;
    this.title = title;
    this.variable = variable;
    this.command = command;
  }

  void add(long value, double s, LoadMonitor.Load load) {
    x.add(value);
    seconds.add(s);
    loads.add(load);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("title", title);
    m.put("variable", variable);
    m.put("command", command);
    List<Map<String, Object>> pts = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put(variable, x.get(i));
      p.put("step_s_median", BenchJson.round(seconds.get(i)));
      p.put("load", loads.get(i).toMap());
      pts.add(p);
    }
    m.put("points", pts);
    return m;
  }
}
