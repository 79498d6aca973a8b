package io.adaspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Writes {@code bench.json}, {@code bench.md} and one PNG per scaling table. */
final class BenchReport {
  private BenchReport() {}

  /** BENCHMARKS.md's fixed method, in one paragraph. */
  static final String FIXED_METHOD = "both sides on the same rows, both copies cached side by side; the same "
      + "warm-up for both code paths (W steps of adaspark's, W iterations of the anchor's); R paired rounds, subject "
      + "first; the same statistic on both sides (within a round, the mean over S steps); min / median / max over "
      + "the rounds per side and the ratio per round with its median; over complete runs (bench --combine) each "
      + "row's ratio min / median / max and the runs that met the goal, per BLAS configuration; every attempt of a "
      + "disturbed measurement kept; BLAS.getInstance() of driver and executors recorded, no BLAS forced";

  static Map<String, Object> json(Bench b, Bench.Options o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", o.output().command());
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("n", o.sizes().n());
    opts.put("d", o.sizes().d());
    opts.put("n2", o.sizes().n2());
    opts.put("d2", o.sizes().d2());
    opts.put("sparse_n", o.sizes().sparseN());
    opts.put("sparse_d", o.sizes().sparseD());
    opts.put("sparse_nnz", o.sizes().sparseNnz());
    opts.put("batch", o.sizes().batch());
    opts.put("partitions", o.sizes().partitions());
    opts.put("steps", o.method().steps());
    opts.put("warmup", o.method().warmup());
    opts.put("reps", o.method().reps());
    opts.put("sweep_steps", o.method().sweepSteps());
    opts.put("rows", o.run().rows());
    opts.put("tables", o.run().tables());
    opts.put("disturbed_threshold_cores", o.method().threshold());
    opts.put("retries", o.method().retries());
    opts.put("quick", o.quick());
    m.put("options", opts);
    // The method fixed before measuring (BENCHMARKS.md, "The fixed method"), and where it applies.
    Map<String, Object> method = new LinkedHashMap<>();
    method.put("fixed", FIXED_METHOD);
    method.put("follow_it", List.of("scale-p", "scale-d", "rows 1-10"));
    method.put("statistic", PairedRounds.STATISTIC);
    method.put("rows", "every row is measured by PairedRounds: " + Rows.warmupRounds(o) + " warm-up round(s) of each "
        + "side's own measured action, discarded, then " + Rows.rounds(o) + " paired rounds (subject, anchor, ...); "
        + "what one round of each side is in each row's method field; row 3 is judged on the lean floor (the "
        + "aggregate floor beside it), row 4 on the cohort's measured wall");
    m.put("method", method);
    m.put("environment", b.environment);
    List<Object> rows = new ArrayList<>();
    for (Figure f : b.figures) rows.add(f.toMap());
    m.put("rows", rows);
    List<Object> tables = new ArrayList<>();
    for (ScalingTable t : b.tables) tables.add(t.toMap());
    m.put("tables", tables);
    if (b.scale != null || !b.scaleTables.isEmpty()) {
      m.put("scale_options", (b.scale == null ? ScaleTables.Options.defaults(o.quick()) : b.scale).toMap());
    }
    List<Object> scale = new ArrayList<>();
    for (ScaleTables.Table t : b.scaleTables) scale.add(t.toMap());
    m.put("scale_tables", scale);
    return m;
  }

  static void write(Bench b, Bench.Options o, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench.json"), BenchJson.MAPPER.writeValueAsString(json(b, o)) + "\n");
    Files.writeString(dir.resolve("bench.md"), markdown(b, o));
    for (ScalingTable t : b.tables) png(t, dir.resolve("scaling-" + t.name + ".png"));
    for (ScaleTables.Table t : b.scaleTables) ScaleTables.png(t, dir.resolve(t.name + ".png"));
  }

  static String markdown(Bench b, Bench.Options o) {
    StringBuilder s = new StringBuilder();
    s.append("# adaspark benchmarks\n\n");
    s.append("Command: `").append(o.output().command()).append("`  \n");
    s.append("Master: `").append(b.environment.get("master")).append("`, ")
        .append(b.environment.get("available_processors")).append(" processors, Spark ")
        .append(b.environment.get("spark")).append(", Java ").append(b.environment.get("java")).append("  \n");
    if (b.environment.get("linear_algebra") instanceof java.util.Map<?, ?> la) {
      // MLlib's side of the figures depends on it (a native BLAS speeds up its dense operations).
      s.append("MLlib's BLAS: `").append(la.get("blas")).append("`, LAPACK: `").append(la.get("lapack")).append("`")
          .append(Boolean.TRUE.equals(la.get("native_blas")) ? " (native)" : " (Java: no native BLAS found)")
          .append("  \n");
    }
    if (b.environment.get("blas") instanceof java.util.Map<?, ?> blas) {
      // Which of BENCHMARKS.md's two tables (Java BLAS / OpenBLAS) this run belongs to.
      s.append("BLAS.getInstance(): driver `").append(blas.get("driver")).append("`, executors ")
          .append(blas.get("executors")).append(" — ").append(blas.get("configuration"))
          .append(blas.get("openblas_num_threads") == null ? "" : ", OPENBLAS_NUM_THREADS=" + blas.get("openblas_num_threads"))
          .append("  \n");
    }
    if (Boolean.FALSE.equals(b.environment.get("complete"))) s.append("**Incomplete: the run is still going or stopped early.**  \n");
    s.append("Load average at start / end: ").append(b.environment.get("loadavg_start")).append(" / ")
        .append(b.environment.get("loadavg_end")).append("; total ").append(b.environment.get("total_seconds"))
        .append(" s");
    if (b.environment.get("whole_run_load_long_lived_processes") instanceof java.util.Map<?, ?> whole
        && whole.get("steal_cores") != null) {
      // CPU the hypervisor gave to other guests: a disturbance the per-process figures cannot see.
      s.append("; hypervisor steal over the run: ").append(whole.get("steal_cores")).append(" cores");
    }
    if (b.environment.get("jvm_warmup_steps") != null) {
      s.append("  \nJVM warm-up before the first row: ").append(b.environment.get("jvm_warmup_steps"))
          .append(" adaspark steps in ").append(b.environment.get("jvm_warmup_s")).append(" s");
    }
    s.append("\n\n");
    s.append("| # | what | adaspark | anchor | ratio | goal | met | load: others' cores (steal), adaspark / anchor |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Figure f : b.figures) {
      s.append("| ").append(f.row).append(" | ").append(f.title).append(" | ")
          .append(BenchJson.fmt(f.adaspark)).append(' ').append(f.unit).append(" | ")
          .append(BenchJson.fmt(f.anchor)).append(' ').append(f.unit).append(" | ")
          .append(String.format("%.3g", f.ratio())).append(" | ").append(f.goalText()).append(" | ")
          .append(f.met() ? "met" : "**not met**").append(f.disturbed ? " (disturbed)" : "").append(" | ")
          .append(others(f.load.get("adaspark"))).append(" / ").append(others(f.load.get("anchor"))).append(" |\n");
    }
    s.append("\nadaspark / anchor per row:\n\n");
    for (Figure f : b.figures) {
      s.append("- ").append(f.row).append(": ").append(f.adasparkWhat).append(" vs ").append(f.anchorWhat)
          .append(". Method: ").append(f.method).append(". `").append(f.command).append("`\n");
    }
    for (ScalingTable t : b.tables) {
      s.append("\n## ").append(t.title).append("\n\n`").append(t.command).append("` — plot: `scaling-")
          .append(t.name).append(".png`\n\n| ").append(t.variable).append(" | step, s (median) | others' cores (steal) |\n| --- | --- | --- |\n");
      for (int i = 0; i < t.x.size(); i++) {
        s.append("| ").append(t.x.get(i)).append(" | ").append(BenchJson.fmt(t.seconds.get(i))).append(" | ")
            .append(String.format("%.2f (%.2f)", t.loads.get(i).otherCores(), t.loads.get(i).stealCores())).append(" |\n");
      }
    }
    for (ScaleTables.Table t : b.scaleTables) s.append(ScaleTables.markdown(t));
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  private static String others(Object load) {
    if (!(load instanceof Map)) return "-";
    Object v = ((Map<String, Object>) load).get("other_cpu_cores");
    Object st = ((Map<String, Object>) load).get("steal_cores");
    return (v == null ? "-" : String.format("%.2f", ((Number) v).doubleValue()))
        + (st == null ? "" : String.format(" (%.2f)", ((Number) st).doubleValue()));
  }

  static void png(ScalingTable t, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(t.title.length() > 90
        ? t.title.substring(0, 90) + "…" : t.title).xAxisTitle(t.variable).yAxisTitle("seconds per step (median)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendVisible(false);
    double[] x = new double[t.x.size()];
    double[] y = new double[t.x.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = t.x.get(i);
      y[i] = t.seconds.get(i);
    }
    if (x.length == 0) return;
    chart.addSeries("adaspark", x, y);
    String name = file.toString();
    BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
  }
}
