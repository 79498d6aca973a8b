package io.adaspark.bench;

import io.adaspark.data.DataBlock;
import io.adaspark.data.PreparedData;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Vector;
import scala.Tuple2;

/**
 * The scale-out tables of issue 18: time per run-step against the number of partitions P
 * ({@code scale-p}) and against the number of features d ({@code scale-d}), sparse CSR data with
 * {@code nnz} non-zeros a row, a fused cohort of K Adam runs, with MLlib's
 * {@code GradientDescent.runMiniBatchSGD} (its own {@code treeAggregate}, one configuration per
 * call) on the same rows as the anchor.
 *
 * <p><b>Method, the same for every point and both sides</b> (fixed before measuring, written into
 * bench.json as {@code method}): both copies of the data cached side by side; a warm-up of W
 * steps for each side (adaspark: one cohort of K runs; MLlib: one call of W iterations); then R
 * paired rounds, adaspark first: adaspark trains the cohort for S steps, its run-step is the mean
 * over the S steps of (compute + every run's optimizer time) ÷ K ({@code Trainer} metrics);
 * MLlib runs one call of 1 + S iterations, its run-step is (end of the last iteration's job − end
 * of the first) ÷ S ({@link JobClock}): a mean over S steps on both sides. Reported: min, median
 * and max over the rounds for each side, the ratio MLlib ÷ adaspark per round and its median.
 * A point whose rounds saw more than the disturbance threshold (other processes + steal) is
 * repeated ({@link Measure}); every attempt's rounds are kept.
 */
final class ScaleTables {
  /** Sizes of the two tables. */
  record Options(long n, int nnz, int k, int batch, int[] partitions, int dForP, int[] ds, int pForD,
                 int steps, int warmup, int rounds) {
    /** The defaults of issue 18 (n = 2·10⁵, 50 non-zeros, K = 8, B = 1024), or tiny ones. */
    static Options defaults(boolean quick) {
      return quick
          ? new Options(4000, 10, 8, 128, new int[] {2, 4}, 10_000, new int[] {1000, 10_000}, 2, 3, 2, 2)
          : new Options(200_000, 50, 8, 1024, new int[] {4, 16, 64, 256}, 1_000_000,
              new int[] {10_000, 100_000, 1_000_000, 10_000_000}, 4, 20, 10, 3);
    }

    Map<String, Object> toMap() {
      return BenchJson.object("n", n, "nnz", nnz, "k", k, "batch", batch, "partitions", partitions, "d_for_p", dForP,
          "ds", ds, "p_for_d", pForD, "steps", steps, "warmup", warmup, "rounds", rounds);
    }
  }

  /** One point: per round, adaspark's run-step and MLlib's iteration, seconds; every attempt. */
  record Point(long x, long n, int d, int partitions, double[] adaspark, double[] anchor,
               List<Map<String, Object>> attempts, LoadMonitor.Load load) implements ScalingTable.Point {
    double[] ratios() {
      double[] r = new double[adaspark.length];
      for (int i = 0; i < r.length; i++) r[i] = anchor[i] / adaspark[i];
      return r;
    }

    @Override
    public Map<String, Object> toMap(String variable) {
      return BenchJson.object(variable, x, "n", n, "d", d, "partitions", partitions, "adaspark_run_step_s",
          stats(adaspark), "anchor_iteration_s", stats(anchor), "ratio_anchor_over_adaspark", stats(ratios()),
          "attempts", attempts, "load", load.toMap());
    }
  }

  static final String METHOD = "both copies cached side by side; warm-up: W steps a side (adaspark one K-run "
      + "cohort, MLlib one call of W iterations); R paired rounds, adaspark first: adaspark trains the cohort for "
      + "S steps, run-step = mean over the S steps of (compute + every run's optimizer time) / K; MLlib one "
      + "runMiniBatchSGD call of 1 + S iterations (miniBatchFraction B/n, LogisticGradient, SimpleUpdater), "
      + "iteration = (end of the last iteration's job - end of the first) / S; min / median / max over the "
      + "rounds, ratio MLlib / adaspark per round";

  private final Fixture fixture;
  private final Options o;
  private final Measure measure;
  private final PrintStream log;

  ScaleTables(Fixture fixture, Options o, Measure measure, PrintStream log) {
    this.fixture = fixture;
    this.o = o;
    this.measure = measure;
    this.log = log;
  }

  /** Time per run-step against P, at d = {@code dForP}. */
  ScalingTable<Point> byPartitions(String command) {
    return table("scale-p", "P", "partitions P (sparse n = " + o.n() + ", d = " + o.dForP() + ", " + o.nnz()
        + " non-zeros a row, K = " + o.k() + " Adam, B = " + o.batch() + ")", command, o.partitions(),
        p -> point(p, o.dForP(), p));
  }

  /** Time per run-step against d, at P = {@code pForD}. */
  ScalingTable<Point> byFeatures(String command) {
    return table("scale-d", "d", "features d (sparse n = " + o.n() + ", " + o.nnz() + " non-zeros a row, P = "
        + o.pForD() + ", K = " + o.k() + " Adam, B = " + o.batch() + ")", command, o.ds(), d -> point(d, d, o.pForD()));
  }

  /** The table {@code name}: time per run-step against {@code what}, one point a value of {@code xs}, in order. */
  private ScalingTable<Point> table(String name, String variable, String what, String command, int[] xs,
                                    java.util.function.IntFunction<Point> point) {
    ScalingTable<Point> t = new ScalingTable<>(name, "time per run-step against " + what, variable,
        command + " --tables " + name, METHOD);
    for (int x : xs) t.points.add(point.apply(x));
    return t;
  }

  private Point point(long x, int d, int partitions) {
    Synthetic s = new Synthetic(o.n(), d, Math.min(o.nnz(), d), 5L, partitions);
    log.printf("bench: scale point %s, P = %d%n", s, partitions);
    JavaRDD<DataBlock> blocks = s.blocks(fixture.jsc);
    PreparedData data = s.prepared(fixture.jsc, blocks);
    JavaRDD<Tuple2<Object, Vector>> rdd = s.mllib(fixture.jsc);
    Model model = new BinaryLogisticRegression(d, 0.0);
    double fraction = Math.min(1.0, (double) o.batch() / o.n());
    try {
      // The fixed method (PairedRounds), the warm-up given as W steps a side (as issue 18 fixed it).
      Side ada = new Side("adaspark_run_step_s", "adaspark run-step", (f, n) ->
          Measure.mean(f.steps(data, model, o.batch(), o.k(), 0, o.steps()).samples()) / o.k());
      Side sgd = new Side("anchor_iteration_s", "MLlib iteration", (f, n) ->
          f.sgdIteration(rdd, d, fraction, o.steps()));
      fixture.steps(data, model, o.batch(), o.k(), o.warmup(), 1);
      fixture.sgdIteration(rdd, d, fraction, Math.max(2, o.warmup()));
      PairedRounds.Result r = PairedRounds.run(measure, "scale " + x, fixture, List.of(ada, sgd), 0, o.rounds());
      Point p = new Point(x, o.n(), d, partitions, r.side(0), r.side(1), r.attempts(), r.measured().load());
      log.printf("bench: scale %d: adaspark run-step %s s, MLlib iteration %s s (medians)%n", x,
          BenchJson.fmt(Measure.median(r.side(0))), BenchJson.fmt(Measure.median(r.side(1))));
      return p;
    } finally {
      blocks.unpersist(true);
      rdd.unpersist(true);
    }
  }

  /** {@code {min, median, max, rounds}} of per-round values. */
  static Map<String, Object> stats(double[] v) {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] s = v.clone();
    Arrays.sort(s);
    m.put("min", s.length == 0 ? null : BenchJson.round(s[0]));
    m.put("median", BenchJson.round(Measure.median(v)));
    m.put("max", s.length == 0 ? null : BenchJson.round(s[s.length - 1]));
    m.put("rounds", BenchJson.round(v));
    return m;
  }

  /** The table in bench.md. */
  static String markdown(ScalingTable<Point> t) {
    StringBuilder s = new StringBuilder();
    s.append("\n## ").append(t.title).append("\n\n`").append(t.command).append("` — plot: `").append(t.name)
        .append(".png`. Method: ").append(METHOD).append(".\n\n| ").append(t.variable)
        .append(" | adaspark s per run-step (min / median / max) | MLlib s per iteration (min / median / max) "
            + "| MLlib ÷ adaspark (median of rounds) | others' cores (steal) |\n| --- | --- | --- | --- | --- |\n");
    for (Point p : t.points) {
      s.append("| ").append(p.x()).append(" | ").append(mmm(p.adaspark())).append(" | ").append(mmm(p.anchor()))
          .append(" | ").append(String.format("%.3g", Measure.median(p.ratios()))).append(" | ")
          .append(String.format("%.2f (%.2f)", p.load().otherCores(), p.load().stealCores())).append(" |\n");
    }
    return s.toString();
  }

  private static String mmm(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return BenchJson.fmt(s[0]) + " / " + BenchJson.fmt(Measure.median(v)) + " / " + BenchJson.fmt(s[s.length - 1]);
  }

  /**
   * Log-log plot: each side's median over the rounds (line) with its min–max over the rounds
   * (band), in the report's style; the numbers are in bench.md and bench.json.
   */
  static void png(ScalingTable<Point> t, Path file) throws IOException {
    t.png(file, t.name + ": seconds per run-step (adaspark) / per iteration (MLlib) against " + t.variable, "seconds",
        true, List.of(curve(t, "adaspark, per run-step (fused cohort ÷ K)", Point::adaspark),
            curve(t, "MLlib runMiniBatchSGD, per iteration", Point::anchor)));
  }

  /** One side's rounds at every point: median, min and max. */
  private static ScalingTable.Curve curve(ScalingTable<Point> t, String name,
                                          java.util.function.Function<Point, double[]> side) {
    int n = t.points.size();
    double[][] y = new double[3][n];  // {median, min, max}, point
    for (int i = 0; i < n; i++) {
      double[] s = side.apply(t.points.get(i)).clone();
      Arrays.sort(s);
      y[0][i] = Measure.median(s);
      y[1][i] = s[0];
      y[2][i] = s[s.length - 1];
    }
    return new ScalingTable.Curve(name, y[0], y[1], y[2]);
  }
}
