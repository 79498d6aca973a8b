package io.adaspark.bench;

import io.adaspark.data.DataBlock;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.ParquetSpec;
import io.adaspark.data.PreparedData;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Model;
import io.adaspark.optim.Adam;
import io.adaspark.train.MetricRow;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.RunSpec;
import io.adaspark.train.Trainer;
import io.adaspark.train.TrainingSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import scala.Tuple2;

/**
 * What the rows read, each piece built lazily and once: the synthetic data sets (adaspark's
 * cached blocks, MLlib's RDD and ml's DataFrame copies of the same rows), the full-pass trainers,
 * the Parquet file of row 7 and the bandwidth array of row 6; and the measured actions the rows'
 * sides are made of. One data set is cached at a time: asking for another releases the others.
 */
final class Fixture implements AutoCloseable {
  final SparkSession spark;
  final JavaSparkContext jsc;
  final Bench.Sizes sizes;
  private final String outDir;
  final JobClock clock;
  private final PrintStream log;
  private final Map<String, Data> data = new HashMap<>();
  private String parquet;
  private Bandwidth bandwidth;

  /** {@code outDir}: where row 7's Parquet file is written. */
  Fixture(SparkSession spark, Bench.Sizes sizes, String outDir, JobClock clock, PrintStream log) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.sizes = sizes;
    this.outDir = outDir;
    this.clock = clock;
    this.log = log;
  }

  /** One synthetic data set and its copies, each cached when first asked for. */
  final class Data implements AutoCloseable {
    final Synthetic s;
    private JavaRDD<DataBlock> blocks;
    private PreparedData prepared;
    private JavaRDD<Tuple2<Object, Vector>> mllib;
    private Dataset<org.apache.spark.sql.Row> df;
    private final Map<String, Passes> passes = new HashMap<>();

    Data(Synthetic s) {
      this.s = s;
    }

    JavaRDD<DataBlock> blocks() {
      if (blocks == null) {
        long t0 = System.nanoTime();
        blocks = s.blocks(jsc);
        prepared = s.prepared(jsc, blocks);
        log.printf("bench: data %s: blocks in %.1f s%n", s, (System.nanoTime() - t0) / 1e9);
      }
      return blocks;
    }

    PreparedData prepared() {
      blocks();
      return prepared;
    }

    /** MLlib's RDD copy; ml's DataFrame copy, if cached, is released first (one anchor copy at a time). */
    JavaRDD<Tuple2<Object, Vector>> mllib() {
      if (mllib == null) {
        if (df != null) df.unpersist(true);
        df = null;
        mllib = s.mllib(jsc);
      }
      return mllib;
    }

    /** ml's DataFrame copy; MLlib's RDD copy, if cached, is released first. */
    Dataset<org.apache.spark.sql.Row> df() {
      if (df == null) {
        if (mllib != null) mllib.unpersist(true);
        mllib = null;
        df = s.ml(spark);
      }
      return df;
    }

    /** The full-pass trainer of {@code model} on these blocks (one per model description). */
    Passes passes(String name, Supplier<Model> model) {
      return passes.computeIfAbsent(name, k -> new Passes(prepared(), model.get()));
    }

    @Override
    public void close() {
      if (blocks != null) blocks.unpersist(true);
      if (mllib != null) mllib.unpersist(true);
      if (df != null) df.unpersist(true);
      blocks = null;
      prepared = null;
      mllib = null;
      df = null;
      passes.clear();
    }
  }

  /** Dense data A (n × d), rows 1, 3-6, 8, 9 and the batch and K tables. */
  Data a() {
    return data("a", () -> new Synthetic(sizes.n(), sizes.d(), 0, 1L, sizes.partitions()));
  }

  /** Row 2's dense data (n2 × d2). */
  Data two() {
    return data("two", () -> new Synthetic(sizes.n2(), sizes.d2(), 0, 2L, sizes.partitions()));
  }

  /** Row 10's sparse data. */
  Data sparse() {
    return data("sparse", () -> new Synthetic(sizes.sparseN(), sizes.sparseD(), sizes.sparseNnz(), 3L,
        sizes.partitions()));
  }

  private Data data(String name, Supplier<Synthetic> make) {
    for (Map.Entry<String, Data> e : data.entrySet()) {
      if (!e.getKey().equals(name)) e.getValue().close();
    }
    data.keySet().retainAll(java.util.Set.of(name));
    return data.computeIfAbsent(name, k -> new Data(make.get()));
  }

  /** Releases every cached data set (the next row builds what it reads). */
  void release() {
    for (Data d : data.values()) d.close();
    data.clear();
  }

  /** Row 7's Parquet file: data A written once under the output directory; then nothing cached. */
  String parquet() {
    if (parquet == null) {
      String path = new org.apache.hadoop.fs.Path(outDir, "input-parquet").toString();
      long w0 = System.nanoTime();
      a().df().write().mode("overwrite").parquet(path);
      log.printf("bench: wrote %s in %.1f s%n", path, (System.nanoTime() - w0) / 1e9);
      parquet = path;
    }
    // Both sides load into a heap without data A's cached copies.
    release();
    return parquet;
  }

  /** Row 6's array for the bandwidth floor, allocated once; freed by {@link #endRow}. */
  Bandwidth bandwidth() {
    if (bandwidth == null) bandwidth = new Bandwidth(sizes.bandwidthBytes(), 2);
    return bandwidth;
  }

  /** After each row: frees what only one row reads (the bandwidth array). */
  void endRow() {
    if (bandwidth != null) bandwidth.close();
    bandwidth = null;
  }

  @Override
  public void close() {
    endRow();
    release();
  }

  // ---------------------------------------------------------------- adaspark's actions

  /** Step times of a cohort: per measured step (compute + every run's optimizer), seconds; the walls. */
  record StepStats(double median, double mean, double[] samples, double cohortWallSeconds, double measuredWallSeconds) {}

  static List<PlannedRun> adamCohort(int k, long seed) {
    List<PlannedRun> runs = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      // K distinct Adam configurations (lr from 1e-3 up), as a sweep would train them.
      Adam.Config c = Adam.Config.fromJson(1e-3 * (1 + j), null, null, null, null, null, null, null);
      runs.add(new PlannedRun(String.format("bench-%02d", j), new RunSpec(c, null, null), seed));
    }
    return runs;
  }

  /**
   * Trains a cohort of K Adam runs for warmup + steps steps with {@link Trainer#train} (eval at
   * step 0 and the last step only) and takes each measured step's time from the metrics the
   * trainer records: broadcast + distributed gradient + combine ({@code compute_ms}) plus every
   * run's driver-side optimizer time; the measured wall is System.nanoTime around the call.
   */
  StepStats steps(PreparedData data, Model model, int batch, int k, int warmup, int steps) {
    long total = (long) warmup + steps;
    TrainingSpec spec = TrainingSpec.of(batch, total, total, 7L, data.partitions());
    Trainer trainer = new Trainer(jsc, data, model, spec, null);
    long w0 = System.nanoTime();
    List<RunResult> results = trainer.train(adamCohort(k, 7L));
    double wall = (System.nanoTime() - w0) / 1e9;
    double[] perStep = new double[(int) total];
    for (RunResult r : results) {
      for (MetricRow m : r.rows()) {
        if (m.step() == 0) continue;
        int i = (int) m.step() - 1;
        if (r == results.get(0)) perStep[i] += m.computeMs();
        perStep[i] += m.optimizerMs();
      }
    }
    double[] samples = new double[steps];
    for (int i = 0; i < steps; i++) samples[i] = perStep[warmup + i] / 1e3;
    double sumAll = 0;
    for (double v : perStep) sumAll += v / 1e3;
    for (RunResult r : results) {
      if (!r.status().equals("finished")) log.printf("bench: run %s %s (%s)%n", r.runId(), r.status(), r.statusDetail());
    }
    return new StepStats(Measure.median(samples), Measure.mean(samples), samples, sumAll, wall);
  }

  /** Mean seconds per step of one Adam run over {@code steps} steps on {@code d}'s blocks. */
  double stepMean(Data d, int steps) {
    return steps(d.prepared(), new BinaryLogisticRegression(d.s.d(), 0.0), sizes.batch(), 1, 0, steps).mean();
  }

  /** Full passes ({@link Trainer#fullObjective}) at the model's initial θ, one at a time. */
  final class Passes {
    private final Trainer trainer;
    private final double[] theta;
    private final double[] grad;

    Passes(PreparedData data, Model model) {
      trainer = new Trainer(jsc, data, model, TrainingSpec.of(1, 1L, 1L, 0L, data.partitions()), null);
      theta = model.initialParameters(3L);
      grad = new double[theta.length];
    }

    /** Seconds of one pass. */
    double once() {
      long t0 = System.nanoTime();
      trainer.fullObjective(theta, grad);
      return (System.nanoTime() - t0) / 1e9;
    }

    /** Mean seconds of {@code count} passes. */
    double mean(int count) {
      double s = 0;
      for (int i = 0; i < count; i++) s += once();
      return s / count;
    }
  }

  /** The floor through RDD.aggregate: broadcast d doubles, aggregate d doubles over the blocks, destroy; mean of {@code jobs}. */
  double aggregateFloor(JavaRDD<DataBlock> blocks, int d, int jobs) {
    return floor(d, jobs, bc -> blocks.aggregate(new double[d], (acc, b) -> {
      acc[0] += bc.value()[0];
      return acc;
    }, (x, y) -> {
      for (int i = 0; i < x.length; i++) x[i] += y[i];
      return x;
    }));
  }

  /**
   * The floor without Spark's closure cleaning: the same broadcast, one {@code runJob} over the
   * cached blocks with a named (non-lambda) function returning d doubles per partition, summed on
   * the driver, destroy; mean of {@code jobs}. This is the path adaspark's steps take
   * ({@code train.BlockTask}), so adaspark ÷ this is its own overhead over Spark's scheduling.
   */
  double leanFloor(JavaRDD<DataBlock> blocks, int d, int jobs) {
    return floor(d, jobs, bc -> {
      Object parts = jsc.sc().runJob(blocks.rdd(), new NoWork(bc, d),
          scala.reflect.ClassTag$.MODULE$.apply(double[].class));
      double[] sum = new double[d];
      for (double[] p : (double[][]) parts) for (int i = 0; i < d; i++) sum[i] += p[i];
      return sum;
    });
  }

  /**
   * Mean seconds of {@code jobs} floor jobs, one at a time: each broadcasts d doubles, runs
   * {@code job} with it (which returns the d summed doubles), and destroys the broadcast.
   */
  private double floor(int d, int jobs, java.util.function.Function<Broadcast<double[]>, double[]> job) {
    double total = 0;
    for (int s = 0; s < jobs; s++) {
      long t0 = System.nanoTime();
      Broadcast<double[]> bc = jsc.broadcast(new double[d]);
      double[] sum = job.apply(bc);
      bc.destroy();
      if (sum.length != d) throw new IllegalStateException();
      total += (System.nanoTime() - t0) / 1e9;
    }
    return total / jobs;
  }

  /** The lean floor's task: reads the broadcast, returns d doubles. */
  static final class NoWork extends scala.runtime.AbstractFunction2<org.apache.spark.TaskContext,
      scala.collection.Iterator<DataBlock>, double[]> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<double[]> bc;
    private final int d;

    NoWork(Broadcast<double[]> bc, int d) {
      this.bc = bc;
      this.d = d;
    }

    @Override
    public double[] apply(org.apache.spark.TaskContext c, scala.collection.Iterator<DataBlock> it) {
      double[] acc = new double[d];
      acc[0] += bc.value()[0];
      return acc;
    }
  }

  /** Row 7's subject: DatasetLoader.load of the Parquet file + the first Trainer step, seconds, from a collected heap. */
  double loadAndFirstStep(String path) {
    DataSpec spec = ParquetSpec.of(path, "label", "features", null, null, 0.0, 0L, true, "dense");
    System.gc();
    long t0 = System.nanoTime();
    PreparedData loaded = DatasetLoader.load(spark, spec, sizes.partitions());
    Model model = new BinaryLogisticRegression(loaded.numFeatures(), 0.0);
    TrainingSpec ts = TrainingSpec.of(sizes.batch(), 1L, 1L, 0L, sizes.partitions());
    new Trainer(jsc, loaded, model, ts, null).train(adamCohort(1, 0L));
    double t = (System.nanoTime() - t0) / 1e9;
    loaded.unpersist();
    return t;
  }

  /** Cached bytes of {@code d}'s blocks in Spark's storage (memory + disk). */
  long storedBytes(Data d) {
    int id = d.blocks().id();
    long stored = 0;
    for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      if (info.id() == id) stored = info.memSize() + info.diskSize();
    }
    return stored;
  }

  // ---------------------------------------------------------------- MLlib's actions

  /**
   * MLlib's {@code runMiniBatchSGD} (LogisticGradient, SimpleUpdater, fraction B/n) seconds per
   * iteration, timed by its jobs ({@link JobClock}): one call of 1 + m iterations, (end of the
   * last iteration's job − end of the first) / m.
   */
  double sgdIteration(Data d, int m) {
    double fraction = Math.min(1.0, (double) sizes.batch() / d.s.n());
    return sgdIteration(d.mllib(), d.s.d(), fraction, m);
  }

  double sgdIteration(JavaRDD<Tuple2<Object, Vector>> rdd, int dim, double fraction, int m) {
    clock.start();
    long t0 = System.currentTimeMillis();
    GradientDescent.runMiniBatchSGD(rdd.rdd(), new LogisticGradient(), new SimpleUpdater(), 0.1, 1 + m, 0.0,
        fraction, Vectors.zeros(dim), 0.0);
    return JobClock.perIteration(clock.stop(spark.sparkContext(), "GradientDescent"), t0, 0)[0];
  }

  /**
   * ml {@code LogisticRegression} (tol 0) of {@code maxIter} iterations: {seconds per iteration,
   * setup}, timed by its loss-evaluation jobs ({@link JobClock#perIteration}).
   */
  double[] lrFit(Dataset<org.apache.spark.sql.Row> df, int maxIter) {
    clock.start();
    long t0 = System.currentTimeMillis();
    LogisticRegressionModel m = new LogisticRegression().setMaxIter(maxIter).setTol(0).fit(df);
    return JobClock.perIteration(clock.stop(spark.sparkContext(), "RDDLossFunction"), t0,
        m.summary().totalIterations());
  }

  /** Row 7's anchor: LogisticRegression's setup from the Parquet file (read, fit maxIter 3), seconds, from a collected heap. */
  double lrSetupFromFile(String path) {
    System.gc();
    return lrFit(spark.read().parquet(path), 3)[1];
  }

  /** ml MultilayerPerceptronClassifier [d, 64, 2] (gd, blockSize 128) seconds per iteration, timed by its gd jobs. */
  double mlpIteration(Data d, int maxIter) {
    clock.start();
    long t0 = System.currentTimeMillis();
    new MultilayerPerceptronClassifier().setLayers(new int[] {d.s.d(), 64, 2}).setSolver("gd").setBlockSize(128)
        .setMaxIter(maxIter).setTol(0).setStepSize(0.03).setSeed(1L).fit(d.df());
    return JobClock.perIteration(clock.stop(spark.sparkContext(), "GradientDescent"), t0, 0)[0];
  }
}
