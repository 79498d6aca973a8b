package io.adaspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The rungs of a multi-fidelity sweep (manifest {@code scheduler}): configurations alive against
 * step, the config-steps spent against the same sweep without a scheduler, and where the
 * finally best configuration ranked at each rung — {@code rungs.png}, {@code rungs.csv} and a
 * paragraph of {@code index.md}. A configuration's steps are the most steps any of its runs
 * trained ({@code runs/}'s {@code steps}); without a scheduler every configuration trains
 * {@code training.steps}.
 */
final class RungReport {
  private RungReport() {}

  /** Appends the section when the job had a scheduler; adds its files. */
  static void append(JobAnalysis j, String h, String prefix, StringBuilder md, Map<String, byte[]> files)
      throws IOException {
    JsonNode s = j.tables.manifest == null ? null : j.tables.manifest.get("scheduler");
    if (s == null || !s.isObject()) return;
    long steps = s.path("steps").asLong();
    String metric = s.path("metric").asText("train_loss");
    boolean higher = metric.endsWith("accuracy");
    Map<String, JobAnalysis.RunStat> byId = new HashMap<>();
    for (JobAnalysis.RunStat r : j.runs) byId.put(r.runId(), r);
    // Configurations: the run-id lists of the rankings (every configuration is ranked at the first rung).
    Map<String, List<String>> configs = new LinkedHashMap<>();
    for (JsonNode rung : s.path("rungs")) {
      for (JsonNode e : rung.path("ranking")) {
        List<String> ids = new ArrayList<>();
        e.path("runs").forEach(n -> ids.add(n.asText()));
        configs.putIfAbsent(String.join(",", ids), ids);
      }
    }
    if (configs.isEmpty()) return;
    // Steps trained per configuration, and the finally best one (all seeds to the end, none diverged).
    Map<String, Long> trained = new HashMap<>();
    String best = null;
    double bestValue = Double.NaN;
    for (Map.Entry<String, List<String>> c : configs.entrySet()) {
      long most = 0;
      List<Double> finals = new ArrayList<>();
      boolean complete = true;
      for (String id : c.getValue()) {
        JobAnalysis.RunStat r = byId.get(id);
        if (r == null || r.finalStep() == null) {
          complete = false;
          continue;
        }
        most = Math.max(most, r.finalStep());
        Double v = metric.equals("train_loss") ? r.finalTrainLoss()
            : metric.equals("test_loss") ? r.finalTestLoss() : r.finalTestAccuracy();
        if (r.diverged() || r.finalStep() < steps || v == null) complete = false;
        else finals.add(v);
      }
      trained.put(c.getKey(), most);
      Double med = complete ? Stats.median(finals) : null;
      if (med != null && (best == null || (higher ? med > bestValue : med < bestValue))) {
        best = c.getKey();
        bestValue = med;
      }
    }
    // Alive and config-steps at 0, every rung step and the end.
    TreeSet<Long> at = new TreeSet<>(List.of(0L, steps));
    for (JsonNode rung : s.path("rungs")) at.add(rung.path("step").asLong());
    StringBuilder csv = new StringBuilder("step,configurations_alive,config_steps,config_steps_without_scheduler,"
        + "bracket,rung,live,kept,best_rank\n");
    List<Double> xs = new ArrayList<>();
    List<Double> alive = new ArrayList<>();
    long n = configs.size();
    long spentTotal = 0;
    for (long t : at) {
      long live = 0;
      long spent = 0;
      for (long st : trained.values()) {
        if (st > t || (t == steps && st == steps) || (t == 0)) live++;
        spent += Math.min(st, t);
      }
      spentTotal = spent;
      xs.add((double) t);
      alive.add((double) live);
      csv.append(String.format(Locale.ROOT, "%d,%d,%d,%d,,,,,%n", t, live, spent, n * t));
    }
    List<double[]> ranks = new ArrayList<>();
    StringBuilder where = new StringBuilder();
    for (JsonNode rung : s.path("rungs")) {
      int rank = 0;
      int i = 0;
      for (JsonNode e : rung.path("ranking")) {
        i++;
        List<String> ids = new ArrayList<>();
        e.path("runs").forEach(x -> ids.add(x.asText()));
        if (String.join(",", ids).equals(best)) rank = i;
      }
      long step = rung.path("step").asLong();
      csv.append(String.format(Locale.ROOT, "%d,,,,%d,%d,%d,%d,%s%n", step, rung.path("bracket").asInt(),
          rung.path("rung").asInt(), rung.path("live").asInt(), rung.path("kept").asInt(), rank == 0 ? "" : rank));
      if (rank > 0) {
        ranks.add(new double[] {step, rank});
        where.append(where.length() == 0 ? "" : ", ").append(rank).append(" of ").append(rung.path("live").asInt())
            .append(" at step ").append(step);
        if (s.path("type").asText().equals("hyperband")) where.append(" (bracket ").append(rung.path("bracket").asInt()).append(")");
      }
    }
    XYChart c = LineChart.chart("Configurations alive and the final best's rank", "step", "configurations", false,
        false);
    double[] sx = new double[2 * xs.size() - 1];
    double[] sy = new double[sx.length];
    for (int i = 0; i < xs.size(); i++) { // a step function: the count holds until the next rung
      sx[2 * i] = xs.get(i);
      sy[2 * i] = alive.get(i);
      if (i + 1 < xs.size()) {
        sx[2 * i + 1] = xs.get(i + 1);
        sy[2 * i + 1] = alive.get(i);
      }
    }
    LineChart.line(c, "configurations alive", LineChart.color(0), sx, sy, false).setMarker(SeriesMarkers.NONE);
    if (!ranks.isEmpty()) {
      double[] rx = ranks.stream().mapToDouble(r -> r[0]).toArray();
      double[] ry = ranks.stream().mapToDouble(r -> r[1]).toArray();
      XYSeries r = c.addSeries("rank of the final best", rx, ry);
      r.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      r.setMarker(SeriesMarkers.DIAMOND);
      r.setMarkerColor(Color.RED);
    }
    files.put(prefix + "rungs.png", LineChart.png(c));
    files.put(prefix + "rungs.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    long without = n * steps;
    md.append(h).append(" Rungs (").append(s.path("type").asText()).append(")\n\n");
    md.append(String.format(Locale.ROOT, "%s, eta %d, rungs at steps %s, ranked on %s (median over seeds). "
            + "%d configurations; %d trained to the end. Config-steps spent: %d of %d without a scheduler "
            + "(**%.1f %%**). ", s.path("type").asText(), s.path("eta").asInt(), at.subSet(1L, steps),
        metric, n, trained.values().stream().filter(v -> v == steps).count(), spentTotal, without,
        100.0 * spentTotal / without));
    md.append(best == null ? "No configuration finished with a finite " + metric + "."
        : "The finally best configuration (median final " + metric + " " + Report.fmt(bestValue) + ", runs "
            + best + ") ranked " + where + ".");
    md.append(" `rungs.csv` has the counts at every rung.\n\n![Rungs](").append(prefix).append("rungs.png)\n\n");
  }
}
