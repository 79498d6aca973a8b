package io.adaspark.sweep;

import io.adaspark.config.Canonical;
import io.adaspark.data.DataSpec;
import io.adaspark.train.PlannedRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations of a sweep — optimizer entry × model variant × training variant, every
 * seed of each — in plan order, as a multi-fidelity scheduler decides on them.
 */
final class SweepConfigurations {
  /** One configuration: its runs (one per seed, plan order) and the smallest of their ids (ties). */
  record Config(int index, List<PlannedRun> runs, String tieId) {}

  private final List<Config> configs;
  private final Map<String, Config> byRun = new HashMap<>();

  SweepConfigurations(DataSpec data, List<PlannedRun> runs) {
    Map<String, List<PlannedRun>> groups = new LinkedHashMap<>();
    for (PlannedRun r : runs) {
      // the run id with the seed set to 0: equal for the seeds of one configuration only
      String key = Canonical.runId(data, r.model(), r.training().withSeed(0), r.spec(), 0);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<Config> out = new ArrayList<>();
    for (List<PlannedRun> g : groups.values()) {
      String tie = g.stream().map(PlannedRun::runId).min(String::compareTo).orElseThrow();
      Config c = new Config(out.size(), List.copyOf(g), tie);
      out.add(c);
      for (PlannedRun r : g) byRun.put(r.runId(), c);
    }
    this.configs = List.copyOf(out);
  }

  List<Config> all() {
    return configs;
  }

  int size() {
    return configs.size();
  }

  Config get(int i) {
    return configs.get(i);
  }

  /** The configuration of a run, or null if the run is not part of the sweep. */
  Config of(String runId) {
    return byRun.get(runId);
  }
}
