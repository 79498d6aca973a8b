package io.adaspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.sweep.JobRunner;
import io.adaspark.train.CohortCheckpoint;
import io.adaspark.train.MetricRow;
import io.adaspark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive estimators on a real local[2] session: a fit equals a job file's run bit for bit
 * (through JobRunner, read back from its checkpoint), Pipelines, and bad Params failing at fit.
 */
class AdaptiveEstimatorsTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static Dataset<Row> libsvm(String file, int d) {
    return TestSpark.session().read().format("libsvm").option("numFeatures", Integer.toString(d))
        .load(TestSpark.data(file).toString());
  }

  /**
   * Runs a job through JobRunner, stopped right after step {@code stop} (the test hook) with a
   * checkpoint there, and returns that checkpoint: every run's parameters and metric rows.
   */
  static CohortCheckpoint jobCheckpoint(Path out, String name, String jobText, long stop) throws IOException {
    JobSpec job = JobLoader.parse(jobText, name + ".json");
    assertThrows(Trainer.Stopped.class, () -> JobRunner.run(TestSpark.session(), job,
        new PrintStream(new ByteArrayOutputStream()), new JobRunner.Options(false, stop)));
    Path dir = out.resolve("." + name + ".work").resolve("checkpoints");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> ckpts = files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).toList();
      assertEquals(1, ckpts.size(), "one cohort");
      try (InputStream in = Files.newInputStream(ckpts.get(0)); ObjectInputStream ois = new ObjectInputStream(in)) {
        CohortCheckpoint c = (CohortCheckpoint) ois.readObject();
        assertEquals(stop, c.step());
        return c;
      } catch (ClassNotFoundException e) {
        throw new IOException(e);
      }
    }
  }

  /** Metric rows without the wall-clock columns. */
  static List<List<Object>> rows(List<MetricRow> rows) {
    return rows.stream().map(r -> List.<Object>of(r.step(), r.epoch(), r.examplesSeen(), String.valueOf(r.lr()),
        String.valueOf(r.batchLoss()), String.valueOf(r.trainLoss()), String.valueOf(r.gradNorm()))).toList();
  }

  @Test
  void binaryFitEqualsJobFileRunBitForBit(@TempDir Path tmp) throws IOException {
    // 120 steps; the job runs to 121 and is stopped after step 120, where it checkpoints. The
    // schedule's T_max and eval_every are explicit, so nothing depends on the job's longer budget.
    String job = """
        {"name": "eq",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0, "standardize": false},
         "model": {"type": "logreg", "l2": 0.01},
         "training": {"batch_size": 16, "steps": 121, "eval_every": 20, "seed": 5, "partitions": 3,
                      "checkpoint_every": 120},
         "optimizers": [{"type": "adam", "lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-7,
                         "schedule": {"type": "cosine", "T_max": 120}, "clip": {"max_norm": 2}}],
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), tmp);
    CohortCheckpoint ckpt = jobCheckpoint(tmp, "eq", job, 120);
    double[] jobTheta = ckpt.runs().get(0).theta();

    AdaptiveLogisticRegressionModel m = new AdaptiveLogisticRegression()
        .setOptimizer("adam").setLearningRate(0.05).setOptimizerParams("{\"betas\": [0.8, 0.99], \"eps\": 1e-7}")
        .setSchedule("{\"type\": \"cosine\", \"T_max\": 120}").setClip("{\"max_norm\": 2}")
        .setRegParam(0.01).setBatchSize(16).setMaxIter(120).setEvalEvery(20).setSeed(5).setNumPartitions(3)
        .setTol(0)
        .fit(libsvm("heart_scale.libsvm", 13));
    double[] fitted = new double[14];
    System.arraycopy(m.coefficients().toArray(), 0, fitted, 0, 13);
    fitted[13] = m.intercept();
    assertEquals(14, jobTheta.length);
    for (int i = 0; i < 14; i++) {
      assertEquals(Double.doubleToLongBits(jobTheta[i]), Double.doubleToLongBits(fitted[i]), "theta[" + i + "]");
    }
    // The summary holds the rows the job recorded (wall-clock columns aside), bit for bit.
    assertTrue(m.hasSummary());
    assertEquals(rows(ckpt.runs().get(0).rows()), rows(m.summary().metricRows()));
    assertEquals(120, m.summary().totalIterations());
    double[] history = m.summary().objectiveHistory();
    assertEquals(7, history.length, "steps 0, 20, ..., 120");
    assertTrue(history[6] < 0.6 * history[0], "the loss went down: " + java.util.Arrays.toString(history));
    assertEquals(121, m.summary().metrics(spark).count());
    assertEquals("finished", m.summary().runs(spark).first().getAs("status"));
  }

  @Test
  void mlpFitEqualsJobFileRunBitForBit(@TempDir Path tmp) throws IOException {
    String job = """
        {"name": "mlp",
         "data": {"type": "libsvm", "path": "%s", "num_features": 4, "test_fraction": 0, "standardize": false},
         "model": {"type": "mlp", "hidden": [6], "activation": "tanh", "l2": 0.001},
         "training": {"batch_size": 10, "steps": 61, "eval_every": 30, "seed": 11, "partitions": 2,
                      "checkpoint_every": 60},
         "optimizers": [{"type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true}],
         "output": "%s"}
        """.formatted(TestSpark.data("iris.libsvm"), tmp);
    CohortCheckpoint ckpt = jobCheckpoint(tmp, "mlp", job, 60);
    AdaptiveMLPClassificationModel m = new AdaptiveMLPClassifier().setLayers(new int[] {4, 6, 3}).setActivation("tanh")
        .setOptimizer("sgd").setLearningRate(0.05).setOptimizerParams("{\"momentum\": 0.9, \"nesterov\": true}")
        .setRegParam(0.001).setBatchSize(10).setMaxIter(60).setEvalEvery(30).setSeed(11).setNumPartitions(2)
        .fit(libsvm("iris.libsvm", 4));
    double[] theta = m.parameters().toArray();
    double[] jobTheta = ckpt.runs().get(0).theta();
    assertEquals(4 * 6 + 6 + 6 * 3 + 3, theta.length);
    for (int i = 0; i < theta.length; i++) {
      assertEquals(Double.doubleToLongBits(jobTheta[i]), Double.doubleToLongBits(theta[i]), "theta[" + i + "]");
    }
    assertEquals(rows(ckpt.runs().get(0).rows()), rows(m.summary().metricRows()));
  }

  /** σ and the margin by hand from the coefficients, on the scaled features the pipeline produced. */
  @Test
  void pipelineWithAssemblerAndScalerFitsAndTransforms() {
    Dataset<Row> csv = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(TestSpark.data("breast_cancer.csv").toString());
    String[] cols = java.util.Arrays.stream(csv.columns()).filter(c -> !c.equals("label")).toArray(String[]::new);
    AdaptiveLogisticRegression alr = new AdaptiveLogisticRegression().setFeaturesCol("scaled")
        .setOptimizer("adam").setLearningRate(0.1).setMaxIter(60).setBatchSize(64).setRegParam(0.001).setEvalEvery(30);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(cols).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true).setWithStd(true),
        alr});
    PipelineModel pm = pipeline.fit(csv);
    AdaptiveLogisticRegressionModel m = (AdaptiveLogisticRegressionModel) pm.stages()[2];
    Dataset<Row> out = pm.transform(csv);
    for (String c : List.of("rawPrediction", "probability", "prediction")) {
      assertTrue(java.util.Arrays.asList(out.columns()).contains(c), c);
    }
    double[] w = m.coefficients().toArray();
    double b = m.intercept();
    long correct = 0;
    List<Row> rows = out.select("scaled", "rawPrediction", "probability", "prediction", "label").collectAsList();
    assertEquals(569, rows.size());
    for (Row r : rows) {
      double[] x = ((Vector) r.get(0)).toArray();
      double margin = b;
      for (int j = 0; j < x.length; j++) margin += w[j] * x[j];
      Vector raw = (Vector) r.get(1);
      Vector p = (Vector) r.get(2);
      assertEquals(-margin, raw.apply(0), 1e-12);
      assertEquals(margin, raw.apply(1), 1e-12);
      double p1 = 1 / (1 + Math.exp(-margin));
      assertEquals(p1, p.apply(1), 1e-12);
      assertEquals(1 - p1, p.apply(0), 1e-12);
      assertEquals(margin > 0 ? 1.0 : 0.0, r.getDouble(3));
      if (r.getDouble(3) == ((Number) r.get(4)).doubleValue()) correct++;
    }
    assertTrue(correct >= 0.97 * 569, "training accuracy " + correct + "/569");
    assertTrue(pm.stages()[2] instanceof AdaptiveLogisticRegressionModel);
    assertEquals(alr.uid(), m.uid());
    assertEquals(alr, m.parent());
  }

  @Test
  void multinomialProbabilitiesAreTheSoftmaxOfTheMargins() {
    AdaptiveLogisticRegressionModel m = new AdaptiveLogisticRegression().setLearningRate(0.1).setMaxIter(60)
        .setBatchSize(16).fit(libsvm("iris.libsvm", 4));
    assertTrue(m.isMultinomial());
    assertEquals(3, m.numClasses());
    double[] W = m.coefficientMatrix().toArray(); // column-major K x d
    double[] b = m.interceptVector().toArray();
    for (Row r : m.transform(libsvm("iris.libsvm", 4)).select("features", "rawPrediction", "probability", "prediction")
        .collectAsList()) {
      double[] x = ((Vector) r.get(0)).toArray();
      double[] z = new double[3];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 3; k++) {
        z[k] = b[k];
        for (int j = 0; j < 4; j++) z[k] += W[j * 3 + k] * x[j];
        max = Math.max(max, z[k]);
        assertEquals(z[k], ((Vector) r.get(1)).apply(k), 1e-12);
      }
      double s = 0;
      for (int k = 0; k < 3; k++) s += Math.exp(z[k] - max);
      int arg = 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(z[k] - max) / s, ((Vector) r.get(2)).apply(k), 1e-12);
        if (z[k] > z[arg]) arg = k;
      }
      assertEquals(arg, r.getDouble(3));
    }
  }

  @Test
  void badParamsFailAtFitWithMessagesNamingTheParam() {
    Dataset<Row> data = libsvm("heart_scale.libsvm", 13);
    AdaptiveLogisticRegression neg = new AdaptiveLogisticRegression().setLearningRate(-0.1);
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> neg.fit(data));
    assertEquals(neg.uid() + " parameter learningRate given invalid value -0.1: expected a finite number > 0 (adam)",
        e1.getMessage());
    AdaptiveLogisticRegression unknown = new AdaptiveLogisticRegression().setOptimizer("adamx");
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> unknown.fit(data));
    assertEquals(unknown.uid() + " parameter optimizer given invalid value \"adamx\": expected one of adadelta, "
        + "adafactor, adagrad, adam, adamax, adamw, adan, lamb, lars, lion, nadam, prodigy, radam, rmsprop, "
        + "schedulefree_adamw, schedulefree_sgd, sgd", e2.getMessage());
    AdaptiveLogisticRegression json = new AdaptiveLogisticRegression().setOptimizerParams("{\"betas\": [0.9, ");
    IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> json.fit(data));
    assertTrue(e3.getMessage().startsWith(json.uid() + ": optimizerParams: invalid JSON at line 1, column "),
        e3.getMessage());
    // Validated by the job file's own loader: the field and the expectation, as in a job file.
    AdaptiveLogisticRegression beta = new AdaptiveLogisticRegression().setOptimizerParams("{\"betas\": [0.9, 1.5]}");
    IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class, () -> beta.fit(data));
    assertEquals(beta.uid() + ": optimizerParams.betas[1]: expected a number in [0, 1), got 1.5 (adam)", e4.getMessage());
    AdaptiveLogisticRegression field = new AdaptiveLogisticRegression().setOptimizerParams("{\"momentum\": 0.9}");
    IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class, () -> field.fit(data));
    assertTrue(e5.getMessage().startsWith(field.uid() + ": optimizerParams.momentum: unknown field"), e5.getMessage());
    AdaptiveLogisticRegression sched = new AdaptiveLogisticRegression().setSchedule("{\"type\": \"cosine\"}");
    IllegalArgumentException e6 = assertThrows(IllegalArgumentException.class, () -> sched.fit(data));
    assertTrue(e6.getMessage().startsWith(sched.uid() + ": schedule"), e6.getMessage());
    AdaptiveLogisticRegression iters = new AdaptiveLogisticRegression().setMaxIter(0);
    IllegalArgumentException e7 = assertThrows(IllegalArgumentException.class, () -> iters.fit(data));
    assertEquals(iters.uid() + " parameter maxIter given invalid value 0: expected an integer >= 1 (optimizer steps)",
        e7.getMessage());
    AdaptiveMLPClassifier layers = new AdaptiveMLPClassifier().setLayers(new int[] {5, 4, 2});
    IllegalArgumentException e8 = assertThrows(IllegalArgumentException.class, () -> layers.fit(data));
    assertEquals("layers[0] = 5 but the features column holds vectors of size 13", e8.getMessage());
  }

  @Test
  void paramsHaveMllibNamesAndDefaults() {
    AdaptiveLogisticRegression a = new AdaptiveLogisticRegression();
    assertEquals(100, a.getMaxIter());
    assertEquals(0.0, a.getRegParam());
    assertEquals(1e-6, a.getTol());
    assertEquals(AdaptiveLogisticRegression.class.getName().hashCode(), a.getSeed());
    assertEquals("features", a.getFeaturesCol());
    assertEquals("label", a.getLabelCol());
    assertEquals("probability", a.getProbabilityCol());
    assertEquals("rawPrediction", a.getRawPredictionCol());
    assertEquals("prediction", a.getPredictionCol());
    for (String p : List.of("maxIter", "regParam", "tol", "seed", "optimizer", "learningRate", "batchSize",
        "optimizerParams", "schedule", "clip", "numPartitions", "family")) {
      assertTrue(a.hasParam(p), p);
    }
    AdaptiveMLPClassifier mlp = new AdaptiveMLPClassifier();
    assertTrue(mlp.hasParam("layers") && mlp.hasParam("activation") && !mlp.hasParam("family"));
    assertEquals("sigmoid", mlp.getActivation());
    AdaptiveLogisticRegression copy = a.copy(new org.apache.spark.ml.param.ParamMap().put(a.learningRate().w(0.3)));
    assertEquals(0.3, copy.getLearningRate());
    assertEquals(a.uid(), copy.uid());
    assertEquals(0.01, a.getLearningRate());
  }

  static DenseVector dense(double... v) {
    return new DenseVector(v);
  }

  @Test
  void fitMultipleEqualsOneFitPerMapBitForBit() {
    Dataset<Row> data = libsvm("heart_scale.libsvm", 13).cache();
    AdaptiveLogisticRegression alr = new AdaptiveLogisticRegression().setMaxIter(40).setBatchSize(16).setEvalEvery(10);
    org.apache.spark.ml.param.ParamMap[] maps = new org.apache.spark.ml.tuning.ParamGridBuilder()
        .addGrid(alr.learningRate(), new double[] {0.01, 0.1, 1.0})
        .addGrid(alr.optimizer(), scala.jdk.javaapi.CollectionConverters.asScala(List.of("sgd", "adam")))
        .build();
    assertEquals(6, maps.length);
    List<AdaptiveLogisticRegressionModel> fused = alr.fitMultiple(data, maps);
    for (int i = 0; i < maps.length; i++) {
      AdaptiveLogisticRegressionModel one = alr.fit(data, maps[i]);
      assertArrayEquals(one.parameters().toArray(), fused.get(i).parameters().toArray(), "map " + i);
      assertEquals(rows(one.summary().metricRows()), rows(fused.get(i).summary().metricRows()));
      assertEquals(fused.get(i).getLearningRate(), (Double) maps[i].apply(alr.learningRate()));
    }
    data.unpersist();
  }

  /** MLlib's tol: the run stops at the first evaluation whose loss moved by at most tol·max(1, |f|). */
  @Test
  void tolStopsARunOnceTheObjectiveSettles() {
    double tol = 2e-3;
    AdaptiveLogisticRegressionModel m = new AdaptiveLogisticRegression().setOptimizer("sgd").setLearningRate(0.05)
        .setMaxIter(400).setEvalEvery(10).setBatchSize(32).setTol(tol).fit(libsvm("heart_scale.libsvm", 13));
    double[] f = m.summary().objectiveHistory();
    long[] at = m.summary().evaluationSteps();
    int last = f.length - 1;
    assertTrue(m.summary().totalIterations() < 400, "stopped early at " + m.summary().totalIterations());
    assertEquals(at[last], m.summary().totalIterations());
    assertTrue(Math.abs(f[last - 1] - f[last]) <= tol * Math.max(1, Math.abs(f[last])));
    for (int k = 1; k < last; k++) {
      assertTrue(Math.abs(f[k - 1] - f[k]) > tol * Math.max(1, Math.abs(f[k])), "not before evaluation " + k);
    }
    assertTrue(m.summary().statusDetail().startsWith("converged"), m.summary().statusDetail());
    assertEquals("finished", m.summary().status());
  }
}
