package io.adaspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    // One flat object, whatever record an option belongs to (the keys bench.json has always had).
    Bench.Sizes z = o.sizes();
    Bench.Method w = o.method();
    m.put("options", BenchJson.object("n", z.n(), "d", z.d(), "n2", z.n2(), "d2", z.d2(), "sparse_n", z.sparseN(),
        "sparse_d", z.sparseD(), "sparse_nnz", z.sparseNnz(), "batch", z.batch(), "partitions", z.partitions(),
        "steps", w.steps(), "warmup", w.warmup(), "reps", w.reps(), "sweep_steps", w.sweepSteps(),
        "rows", o.run().rows(), "tables", o.run().tables(), "disturbed_threshold_cores", w.threshold(),
        "retries", w.retries(), "quick", o.quick()));
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
    for (ScalingTable<?> t : b.tables) tables.add(t.toMap());
    m.put("tables", tables);
    if (b.scale != null || !b.scaleTables.isEmpty()) {
      m.put("scale_options", (b.scale == null ? ScaleTables.Options.defaults(o.quick()) : b.scale).toMap());
    }
    List<Object> scale = new ArrayList<>();
    for (ScalingTable<?> t : b.scaleTables) scale.add(t.toMap());
    m.put("scale_tables", scale);
    return m;
  }

  static void write(Bench b, Bench.Options o, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench.json"), BenchJson.MAPPER.writeValueAsString(json(b, o)) + "\n");
    Files.writeString(dir.resolve("bench.md"), markdown(b, o));
    for (ScalingTable<ScalingTable.Step> t : b.tables) {
      double[] seconds = t.points.stream().mapToDouble(ScalingTable.Step::seconds).toArray();
      t.png(dir.resolve("scaling-" + t.name + ".png"), t.title, "seconds per step (median)", false,
          List.of(ScalingTable.Curve.of("adaspark", seconds)));
    }
    for (ScalingTable<ScaleTables.Point> t : b.scaleTables) ScaleTables.png(t, dir.resolve(t.name + ".png"));
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
    for (ScalingTable<ScalingTable.Step> t : b.tables) {
      s.append("\n## ").append(t.title).append("\n\n`").append(t.command).append("` — plot: `scaling-")
          .append(t.name).append(".png`\n\n| ").append(t.variable).append(" | step, s (median) | others' cores (steal) |\n| --- | --- | --- |\n");
      for (ScalingTable.Step p : t.points) {
        s.append("| ").append(p.x()).append(" | ").append(BenchJson.fmt(p.seconds())).append(" | ")
            .append(String.format("%.2f (%.2f)", p.load().otherCores(), p.load().stealCores())).append(" |\n");
      }
    }
    for (ScalingTable<ScaleTables.Point> t : b.scaleTables) s.append(ScaleTables.markdown(t));
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
}
