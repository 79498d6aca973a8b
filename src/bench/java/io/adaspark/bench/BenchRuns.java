package io.adaspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --combine a/bench.json b/bench.json …}: the figures of several complete runs side
 * by side, each row's ratio as min / median / max over the runs and the number of runs that met
 * its goal, grouped by BLAS configuration (a row's figures from Java-BLAS and native-BLAS runs
 * are never mixed). Figures are matched by row number and their order within the row (row 4 and
 * row 10 have two each). Writes {@code runs.json} and {@code runs.md}; no Spark.
 */
final class BenchRuns {
  private BenchRuns() {}

  /** One figure of one run. */
  record Entry(String run, String blas, String row, String title, String goal, double ratio, boolean met,
               boolean disturbed) {}

  /** Reads every file's figures; a file that is not a bench.json is an error naming it. */
  static List<Entry> read(List<Path> files) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path f : files) {
      JsonNode json;
      try {
        json = BenchJson.MAPPER.readTree(f.toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException(f + ": not a bench.json (" + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      if (json == null || !json.has("rows") || !json.has("environment")) {
        throw new IllegalArgumentException(f + ": not a bench.json (no rows / environment)");
      }
      String blas = blasOf(json.get("environment"));
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (JsonNode r : json.get("rows")) {
        String row = r.get("row").asText();
        int k = seen.merge(row, 1, Integer::sum);
        out.add(new Entry(f.toString(), blas, row + (k > 1 ? "." + k : ""), r.get("title").asText(),
            r.get("goal").asText(), r.get("ratio").isNumber() ? r.get("ratio").asDouble() : Double.NaN,
            r.get("met").asBoolean(), r.get("disturbed").asBoolean()));
      }
    }
    return out;
  }

  /** "Java BLAS" / "native BLAS" (older bench.json: from linear_algebra.native_blas). */
  static String blasOf(JsonNode env) {
    if (env.has("blas") && env.get("blas").has("configuration")) return env.get("blas").get("configuration").asText();
    if (env.has("linear_algebra") && env.get("linear_algebra").has("native_blas")) {
      return env.get("linear_algebra").get("native_blas").asBoolean() ? "native BLAS" : "Java BLAS";
    }
    return "unknown BLAS";
  }

  /** Per BLAS configuration, per figure: ratios over the runs, min / median / max, runs met. */
  static Map<String, Object> summary(List<Entry> entries) {
    Map<String, Map<String, List<Entry>>> by = new LinkedHashMap<>();
    for (Entry e : entries) by.computeIfAbsent(e.blas(), b -> new LinkedHashMap<>())
        .computeIfAbsent(e.row(), r -> new ArrayList<>()).add(e);
    Map<String, Object> out = new LinkedHashMap<>();
    by.forEach((blas, rows) -> {
      List<Object> list = new ArrayList<>();
      rows.forEach((row, es) -> {
        double[] ratios = es.stream().mapToDouble(Entry::ratio).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", row);
        m.put("title", es.get(0).title());
        m.put("goal", es.get(0).goal());
        m.put("ratio", ScaleTables.stats(ratios));
        m.put("runs", es.size());
        m.put("met", es.stream().filter(Entry::met).count());
        m.put("disturbed", es.stream().filter(Entry::disturbed).count());
        m.put("files", es.stream().map(Entry::run).toList());
        list.add(m);
      });
      out.put(blas, list);
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> summary) {
    StringBuilder s = new StringBuilder("# adaspark benchmarks: complete runs combined\n");
    summary.forEach((blas, rows) -> {
      s.append("\n## ").append(blas).append("\n\n| # | what | goal | ratio min / median / max | met | disturbed |\n")
          .append("| --- | --- | --- | --- | --- | --- |\n");
      for (Object o : (List<Object>) rows) {
        Map<String, Object> m = (Map<String, Object>) o;
        Map<String, Object> r = (Map<String, Object>) m.get("ratio");
        s.append("| ").append(m.get("row")).append(" | ").append(m.get("title")).append(" | ").append(m.get("goal"))
            .append(" | ").append(r.get("min")).append(" / ").append(r.get("median")).append(" / ").append(r.get("max"))
            .append(" | ").append(m.get("met")).append(" of ").append(m.get("runs")).append(" | ")
            .append(m.get("disturbed")).append(" |\n");
      }
    });
    return s.toString();
  }

  /** Reads the files, writes {@code runs.json} and {@code runs.md} under {@code dir}, returns the markdown. */
  static String write(List<Path> files, Path dir) throws IOException {
    Map<String, Object> summary = summary(read(files));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("runs.json"), BenchJson.MAPPER.writeValueAsString(summary) + "\n");
    String md = markdown(summary);
    Files.writeString(dir.resolve("runs.md"), md);
    return md;
  }
}
