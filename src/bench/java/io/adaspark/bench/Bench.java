package io.adaspark.bench;

import io.adaspark.data.DataBlock;
import io.adaspark.data.PreparedData;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Model;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark rows of issue 8 ({@link Rows}, measured by {@link PairedRounds} over one
 * {@link Fixture}): adaspark through its real code paths against MLlib on its own cached copy of
 * the same rows, plus scaling tables. Every figure records the machine load it was measured
 * under ({@link Measure}).
 */
public final class Bench {
  /**
   * What to run, at which sizes, by which method, and where to write it: four concerns, one record
   * each, so that a construction site names what each number is. {@code quick} (tiny sizes, a
   * smoke test) also picks the rows' own counts ({@link Rows}).
   */
  public record Options(Sizes sizes, Run run, Method method, Output output, boolean quick) {}

  /**
   * The data sizes: dense data A (n × d, rows 1, 3-9 and the batch and K tables), row 2's
   * (n2 × d2), row 10's sparse data (sparseN × sparseD, sparseNnz non-zeros a row), the
   * mini-batch B, the partitions of every data set, and row 6's array in bytes.
   */
  public record Sizes(long n, int d, long n2, int d2, long sparseN, int sparseD, int sparseNnz, int batch,
                      int partitions, long bandwidthBytes) {}

  /** What to run: the row numbers (1..10) and the tables (batch, k, d, scale-p, scale-d). */
  public record Run(Set<Integer> rows, Set<String> tables) {}

  /**
   * How it is measured: {@code steps} a round of the step rows (the batch, k and d tables take
   * half, at least 3), {@code warmup} steps before every series of those tables (half, at least
   * 2; rows get warm-up rounds instead, {@link Rows#warmupRounds}), {@code jvmWarmup} adaspark
   * steps once before anything, {@code reps} the paired rounds asked of a row ({@link Rows#rounds}),
   * {@code sweepSteps} row 4's steps; a measurement that saw more than {@code threshold} cores of
   * other processes and steal is repeated up to {@code retries} times ({@link Measure}).
   */
  public record Method(int steps, int warmup, int jvmWarmup, int reps, int sweepSteps, double threshold,
                       int retries) {}

  /** Where the report goes, and the command line that reproduces the run (each row names its own). */
  public record Output(String dir, String command) {}

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final Options o;
  private final PrintStream log;
  private final Measure measure;
  final JobClock clock;
  final List<Figure> figures = new ArrayList<>();
  final List<ScalingTable<ScalingTable.Step>> tables = new ArrayList<>();
  /** Issue 18's scale-out tables ({@code --tables scale-p,scale-d}) and their sizes. */
  final List<ScalingTable<ScaleTables.Point>> scaleTables = new ArrayList<>();
  ScaleTables.Options scale;
  final Map<String, Object> environment = new LinkedHashMap<>();

  /** What the rows read, built lazily (data sets, trainers, files). */
  final Fixture fixture;

  /** Called after every row and table (the command writes the report so far: a late failure loses nothing). */
  private java.util.function.Consumer<Bench> checkpoint = b -> { };

  public void onProgress(java.util.function.Consumer<Bench> c) {
    this.checkpoint = c;
  }

  public Bench(SparkSession spark, Options o, PrintStream log) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.o = o;
    this.log = log;
    this.measure = new Measure(o.method().threshold(), o.method().retries(), log);
    this.clock = JobClock.attach(spark.sparkContext());
    this.fixture = new Fixture(spark, o.sizes(), o.output().dir(), clock, log);
  }

  /** Runs the selected rows and tables. */
  public void run() {
    environment.put("master", spark.sparkContext().master());
    environment.put("default_parallelism", spark.sparkContext().defaultParallelism());
    environment.put("available_processors", Runtime.getRuntime().availableProcessors());
    environment.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    environment.put("java", System.getProperty("java.version"));
    environment.put("spark", spark.version());
    environment.put("linear_algebra", io.adaspark.metrics.LinearAlgebra.describe()); // MLlib's BLAS / LAPACK
    environment.put("blas", BlasInfo.describe(jsc)); // BLAS.getInstance() on the driver and the executors
    environment.put("loadavg_start", LoadMonitor.loadavg());
    environment.put("complete", false);
    LoadMonitor.Snapshot start = LoadMonitor.snapshot();
    long t0 = System.nanoTime();
    if (!o.run().rows().isEmpty() || !o.run().tables().isEmpty()) jvmWarmup();
    Set<String> ids = new LinkedHashSet<>();
    for (int row : o.run().rows()) ids.add(Integer.toString(row));
    for (Row row : Rows.select(Rows.all(o), ids)) {
      String name = row.id() + (row.variant().isEmpty() ? "" : " (" + row.variant() + ")");
      log.printf("bench: row %s%n", name);
      long r0 = System.nanoTime();
      add(measure(row));
      fixture.endRow();
      log.printf("bench: row %s done in %.1f s%n", name, (System.nanoTime() - r0) / 1e9);
      checkpoint.accept(this);
    }
    if (o.run().tables().contains("batch")) {
      tableBatch();
      checkpoint.accept(this);
    }
    if (o.run().tables().contains("k")) {
      tableK();
      checkpoint.accept(this);
    }
    if (o.run().tables().contains("d")) tableD();
    fixture.release();
    for (String name : List.of("scale-p", "scale-d")) {
      if (!o.run().tables().contains(name)) continue;
      ScaleTables st = new ScaleTables(fixture, scale == null ? ScaleTables.Options.defaults(o.quick()) : scale,
          measure, log);
      scaleTables.add(name.equals("scale-p") ? st.byPartitions(cmd("none")) : st.byFeatures(cmd("none")));
      checkpoint.accept(this);
    }
    environment.put("complete", true);
    environment.put("loadavg_end", LoadMonitor.loadavg());
    environment.put("total_seconds", BenchJson.round((System.nanoTime() - t0) / 1e9));
    // Only processes alive at both ends are counted here (builds that came and went are not):
    // the per-figure loads are the ones to read.
    environment.put("whole_run_load_long_lived_processes", LoadMonitor.between(start, LoadMonitor.snapshot()).toMap());
  }

  private String cmd(String rows) {
    return o.output().command() + " --rows " + rows;
  }

  /**
   * Brings the JVM to the state a long sweep runs in before anything is measured, whichever rows
   * run: {@code jvmWarmup} adaspark steps on data A, each a Spark job through the same path as
   * every measured step and pass. Spark's per-job code (the DAG scheduler's stage submission,
   * task serialization, result handling) runs a few times per job, so the JIT compiles it only
   * after hundreds of jobs. Without this, {@code bench --rows 6} in a fresh JVM measured passes
   * of 0.08-0.16 s, 30-44 ms of each from job submission to task launch, against 0.045-0.056 s
   * in complete runs, where rows 1-5 had run thousands of jobs first. After 1000 steps the launch
   * took 3-21 ms and six runs of row 6 alone measured passes of 0.049-0.118 s (300 steps:
   * 0.09-0.13 s); most of the rest was the first-touch page faults of the young generation,
   * which {@code submit.sh bench} avoids by pre-touching the heap (BENCHMARKS.md).
   */
  private void jvmWarmup() {
    if (o.method().jvmWarmup() <= 0) return;
    long t0 = System.nanoTime();
    fixture.steps(fixture.a().prepared(), new BinaryLogisticRegression(o.sizes().d(), 0.0), o.sizes().batch(), 1, 0,
        o.method().jvmWarmup());
    double s = (System.nanoTime() - t0) / 1e9;
    environment.put("jvm_warmup_steps", o.method().jvmWarmup());
    environment.put("jvm_warmup_s", BenchJson.round(s));
    log.printf("bench: JVM warm-up, %d steps in %.1f s%n", o.method().jvmWarmup(), s);
  }

  /**
   * Measures one row by the fixed method ({@link PairedRounds}): warm-up rounds of each side,
   * then paired rounds; the figures are the medians over the rounds, the per-pair ratio and every
   * side's rounds and every attempt are in the detail.
   */
  Figure measure(Row row) {
    int w = Rows.warmupRounds(o);
    int r = Rows.rounds(o);
    PairedRounds.Result res = PairedRounds.run(measure, "row " + row.id() + " " + row.variant(), fixture, row.sides(),
        w, r);
    Figure f = new Figure(row.id(), row.title(), row.subject().what(), row.anchor().what(), row.unit(),
        row.goal().kind(), row.goal().value(), cmd(row.id()));
    f.adaspark = Measure.median(res.side(0));
    f.anchor = Measure.median(res.side(1));
    f.detail.put("adaspark_rounds", ScaleTables.stats(res.side(0)));
    f.detail.put("anchor_rounds", ScaleTables.stats(res.side(1)));
    f.detail.put("ratio_per_pair", ScaleTables.stats(row.goal().kind() == Figure.Kind.FASTER
        ? res.ratios(1, 0) : res.ratios(0, 1)));
    for (int i = 2; i < row.sides().size(); i++) {
      Side s = row.sides().get(i);
      f.detail.put(s.key() + "_s", BenchJson.round(Measure.median(res.side(i))));
      f.detail.put(s.key() + "_rounds", ScaleTables.stats(res.side(i)));
      f.detail.put("adaspark_over_" + s.key(), BenchJson.round(f.adaspark / Measure.median(res.side(i))));
    }
    f.detail.putAll(res.notes());
    f.detail.put("attempts", res.attempts());
    f.load("adaspark", res.measured(), measure.threshold());
    f.load("anchor", res.measured(), measure.threshold());
    f.method = row.round() + "; " + w + " warm-up round" + (w == 1 ? "" : "s") + " of each side, then " + r
        + " paired rounds (" + String.join(", ", row.sides().stream().map(Side::key).toList()) + "); "
        + PairedRounds.STATISTIC;
    return f;
  }

  private void add(Figure f) {
    figures.add(f);
    log.printf("bench: row %s: adaspark %s, anchor %s, ratio %.3g (%s) %s%s%n", f.row, BenchJson.fmt(f.adaspark),
        BenchJson.fmt(f.anchor), f.ratio(), f.goalText(), f.met() ? "met" : "NOT met", f.disturbed ? " [disturbed]" : "");
  }

  // ---------------------------------------------------------------- scaling tables

  private void tableBatch() {
    Sizes z = o.sizes();
    PreparedData dataA = fixture.a().prepared();
    Model model = new BinaryLogisticRegression(z.d(), 0.0);
    ScalingTable<ScalingTable.Step> t = stepTable("batch", "time per step against batch size B (n = " + z.n()
        + ", d = " + z.d() + ", Adam, K = 1)", "B");
    int lo = o.quick() ? 64 : 256;
    int hi = o.quick() ? 1024 : 65536;
    for (int b = lo; b <= hi && b <= z.n(); b *= o.quick() ? 4 : 2) {
      t.points.add(step("batch B", b, dataA, model, b, 1));
    }
    tables.add(t);
  }

  private void tableK() {
    Sizes z = o.sizes();
    PreparedData dataA = fixture.a().prepared();
    Model model = new BinaryLogisticRegression(z.d(), 0.0);
    ScalingTable<ScalingTable.Step> t = stepTable("k", "time per step against the number K of fused runs (n = "
        + z.n() + ", d = " + z.d() + ", B = " + z.batch() + ", Adam)", "K");
    for (int k : o.quick() ? new int[] {1, 4, 16} : new int[] {1, 2, 4, 8, 16, 32, 64}) {
      t.points.add(step("K", k, dataA, model, z.batch(), k));
    }
    tables.add(t);
  }

  private void tableD() {
    Sizes z = o.sizes();
    long cells = o.quick() ? 2_000_000L : 100_000_000L;
    ScalingTable<ScalingTable.Step> t = stepTable("d", "time per step against the number of features d (n = min("
        + z.n() + ", " + cells + "/d), B = " + z.batch() + ", Adam, K = 1)", "d");
    for (int d : o.quick() ? new int[] {10, 100} : new int[] {10, 30, 100, 300, 1000}) {
      long n = Math.max(z.batch() * 4L, Math.min(z.n(), cells / d));
      Synthetic s = new Synthetic(n, d, 0, 4L, z.partitions());
      JavaRDD<DataBlock> blocks = s.blocks(jsc);
      t.points.add(step("d", d, s.prepared(jsc, blocks), new BinaryLogisticRegression(d, 0.0), z.batch(), 1));
      blocks.unpersist(true);
    }
    tables.add(t);
  }

  private ScalingTable<ScalingTable.Step> stepTable(String name, String title, String variable) {
    return new ScalingTable<>(name, title, variable, cmd("none") + " --tables " + name, null);
  }

  /**
   * One point of the batch, k and d tables ({@code label}=x in the log): a cohort of {@code k}
   * Adam runs of {@code model} at this batch on {@code data}, max(2, W/2) warm-up steps then
   * max(3, S/2) measured ones ({@link Measure}: repeated if disturbed); the median step time and
   * the load it saw.
   */
  private ScalingTable.Step step(String label, int x, PreparedData data, Model model, int batch, int k) {
    Method m = o.method();
    Measure.Result<Fixture.StepStats> r = measure.run("table " + label + "=" + x,
        () -> fixture.steps(data, model, batch, k, Math.max(2, m.warmup() / 2), Math.max(3, m.steps() / 2)));
    return new ScalingTable.Step(x, r.value().median(), r.load());
  }

  static Set<Integer> parseRows(String s) {
    Set<Integer> rows = new TreeSet<>();
    if (s == null || s.isBlank() || s.equals("all")) {
      for (String id : Rows.IDS) rows.add(Integer.parseInt(id));
      return rows;
    }
    if (s.equals("none")) return rows;
    for (String p : s.split(",")) {
      int r = Integer.parseInt(p.trim());
      if (!Rows.IDS.contains(Integer.toString(r))) {
        throw new IllegalArgumentException("no benchmark row " + r + " (rows are 1..10)");
      }
      rows.add(r);
    }
    return rows;
  }
}
