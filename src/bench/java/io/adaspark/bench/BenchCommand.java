package io.adaspark.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: the benchmark rows of BENCHMARKS.md side by side with MLlib, on synthetic
 * data generated on the executors. Writes {@code bench.json}, {@code bench.md} and the scaling
 * plots under {@code --out}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark adaspark against MLlib on synthetic binary-logistic data (see BENCHMARKS.md).",
        "Writes <out>/bench.json, <out>/bench.md and <out>/scaling-*.png. Every figure records the",
        "machine load it saw; disturbed measurements are repeated. Run on an idle machine."})
public final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--n", description = "rows of the dense data (default 1000000; --quick 20000)")
  Long n;
  @Option(names = "--d", description = "features of the dense data (default 100; --quick 10)")
  Integer d;
  @Option(names = "--n2", description = "rows of row 2 (default 10 × n)")
  Long n2;
  @Option(names = "--d2", description = "features of row 2 (default 20)")
  Integer d2;
  @Option(names = "--sparse-n", description = "rows of row 10 (default 1000000; --quick 20000)")
  Long sparseN;
  @Option(names = "--sparse-d", description = "features of row 10 (default 100000; --quick 1000)")
  Integer sparseD;
  @Option(names = "--sparse-nnz", description = "non-zeros a row in row 10 (default 50; --quick 10)")
  Integer sparseNnz;
  @Option(names = "--batch", description = "mini-batch size B (default 1024; --quick 128)")
  Integer batch;
  @Option(names = "--partitions", description = "data partitions, the same for adaspark and MLlib (default 2)")
  Integer partitions;
  @Option(names = "--steps", description = "steps a round of the step rows, and of the batch, k and d tables (default 50; --quick 5)")
  Integer steps;
  @Option(names = "--warmup", description = "warm-up steps before every series of the batch, k and d tables (default 100; --quick 2); rows get warm-up rounds of each side instead")
  Integer warmup;
  @Option(names = "--jvm-warmup", description = "adaspark steps run once before anything is measured, so that Spark's per-job path is JIT-compiled whichever rows run (default 1000; --quick 0)")
  Integer jvmWarmup;
  @Option(names = "--reps", description = "paired rounds of each row: max(reps, 5), with --quick max(reps, 2) (default 3; --quick 1)")
  Integer reps;
  @Option(names = "--sweep-steps", description = "steps of row 4 (default 200; --quick 5)")
  Integer sweepSteps;
  @Option(names = "--rows", description = "rows to run: all, none, or a list like 1,3,5 (default all)")
  String rows;
  @Option(names = "--tables", description = "scaling tables: batch,k,d and issue 18's scale-p,scale-d (sparse, K = 8 fused Adam runs against MLlib's runMiniBatchSGD), or none (default batch,k,d)")
  String tables;
  @Option(names = "--scale-n", description = "rows of the scale-p/scale-d data (default 200000; --quick 4000)")
  Long scaleN;
  @Option(names = "--scale-p", split = ",", description = "partitions of scale-p (default 4,16,64,256; --quick 2,4)")
  int[] scaleP;
  @Option(names = "--scale-d", split = ",", description = "features of scale-d (default 10000,100000,1000000,10000000; --quick 1000,10000)")
  int[] scaleD;
  @Option(names = "--scale-steps", description = "steps a round in scale-p/scale-d (default 20; --quick 3)")
  Integer scaleSteps;
  @Option(names = "--scale-rounds", description = "paired rounds a point in scale-p/scale-d (default 3; --quick 2)")
  Integer scaleRounds;
  @Option(names = "--bandwidth-mb", description = "array size of the bandwidth floor (default 1024; --quick 16)")
  Integer bandwidthMb;
  @Option(names = "--disturbed", description = "other processes' CPU plus the hypervisor's steal (cores) above which a measurement counts as disturbed (default 0.3)")
  Double threshold;
  @Option(names = "--retries", description = "repeats of a disturbed measurement (default 1; --quick 0)")
  Integer retries;
  @Option(names = "--out", description = "output directory (default target/bench)")
  String out = "target/bench";
  @Option(names = "--quick", description = "tiny sizes (smoke test; figures meaningless)")
  boolean quick;
  @Option(names = "--combine", arity = "1..*", paramLabel = "BENCH_JSON",
      description = "measure nothing: combine the bench.json of several complete runs into <out>/runs.md and runs.json (each row's ratio min / median / max over the runs and how many met the goal, per BLAS configuration)")
  List<Path> combine;

  @Override
  public Integer call() throws Exception {
    if (combine != null) {
      try {
        System.out.print(BenchRuns.write(combine, Path.of(out)));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--combine: " + e.getMessage());
      }
      System.out.println("output: " + Path.of(out).toAbsolutePath().resolve("runs.md"));
      return 0;
    }
    Bench.Options o = options();
    SparkSession spark = SparkSession.builder().appName("adaspark bench").getOrCreate();
    PrintStream log = System.err;
    log.printf("bench: master %s, %s%n", spark.sparkContext().master(), o);
    Bench b = new Bench(spark, o, log);
    b.scale = scaleOptions();
    Path dir = Path.of(o.output().dir());
    b.onProgress(x -> {
      try {
        BenchReport.write(x, o, dir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    b.run();
    BenchReport.write(b, o, dir);
    System.out.print(BenchReport.markdown(b, o));
    System.out.println("output: " + dir.toAbsolutePath().resolve("bench.json"));
    return 0;
  }

  Bench.Options options() {
    long nn = or(n, quick ? 20_000L : 1_000_000L);
    int dd = or(d, quick ? 10 : 100);
    Set<String> tbl = new LinkedHashSet<>();
    String t = tables == null ? "batch,k,d" : tables;
    if (!t.equals("none")) {
      for (String s : t.split(",")) {
        String x = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("batch", "k", "d", "scale-p", "scale-d").contains(x)) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--tables: unknown table " + s + " (batch, k, d, scale-p, scale-d)");
        }
        tbl.add(x);
      }
    }
    Set<Integer> rowSet;
    try {
      rowSet = Bench.parseRows(rows);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rows: " + e.getMessage());
    }
    Bench.Sizes sizes = new Bench.Sizes(nn, dd, or(n2, 10 * nn), or(d2, quick ? 5 : 20),
        or(sparseN, quick ? 20_000L : 1_000_000L), or(sparseD, quick ? 1000 : 100_000), or(sparseNnz, quick ? 10 : 50),
        or(batch, quick ? 128 : 1024), or(partitions, 2), (long) or(bandwidthMb, quick ? 16 : 1024) << 20);
    Bench.Method method = new Bench.Method(or(steps, quick ? 5 : 50), or(warmup, quick ? 2 : 100),
        or(jvmWarmup, quick ? 0 : 1000), or(reps, quick ? 1 : 3), or(sweepSteps, quick ? 5 : 200), or(threshold, 0.3),
        or(retries, quick ? 0 : 1));
    return new Bench.Options(sizes, new Bench.Run(rowSet, tbl), method, new Bench.Output(out, commandText()), quick);
  }

  /** The sizes of the scale-p/scale-d tables: the defaults with the --scale-* options applied. */
  ScaleTables.Options scaleOptions() {
    ScaleTables.Options d = ScaleTables.Options.defaults(quick);
    int steps = or(scaleSteps, d.steps());
    return new ScaleTables.Options(or(scaleN, d.n()), d.nnz(), d.k(), d.batch(), or(scaleP, d.partitions()),
        d.dForP(), or(scaleD, d.ds()), d.pForD(), steps, Math.min(d.warmup(), Math.max(2, steps)),
        or(scaleRounds, d.rounds()));
  }

  /** "./submit.sh bench" with the given options, minus --rows/--tables (each row adds its own). */
  private String commandText() {
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    List<String> kept = new ArrayList<>();
    // the parse result's original arguments start with the sub-command's name
    for (int i = args.isEmpty() || !args.get(0).equals("bench") ? 0 : 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--rows") || a.equals("--tables")) {
        i++;
        continue;
      }
      if (a.startsWith("--rows=") || a.startsWith("--tables=")) continue;
      kept.add(a);
    }
    return ("./submit.sh bench " + String.join(" ", kept)).trim();
  }

  private static <T> T or(T v, T dflt) {
    return v == null ? dflt : v;
  }
}
