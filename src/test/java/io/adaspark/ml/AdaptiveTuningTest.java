package io.adaspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.sweep.JobRunner;
import io.adaspark.sweep.SweepPlan;
import io.adaspark.train.CohortCheckpoint;
import io.adaspark.train.PlannedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.mllib.util.MLUtils;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * CrossValidator over a 2 × 3 grid (optimizer × learning rate) against the equivalent job-file
 * sweeps: per fold, the fold's training rows (as CrossValidator draws them) in a Parquet file, a
 * job with the same grid run through JobRunner, each run's parameters (from its checkpoint)
 * scored on the fold's validation rows by the same evaluator. Same metrics, same best map; and
 * AdaptiveCrossValidator (fused folds) gives exactly CrossValidator's metrics.
 */
class AdaptiveTuningTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static final double[] LRS = {0.003, 0.03, 0.3};
  static final List<String> OPTS = List.of("sgd", "adam");

  /** The margin as the model's transform computes it: Σ w[j]·x[j] over the stored entries, then + b. */
  static double margin(double[] theta, Vector x) {
    double m = 0;
    if (x instanceof SparseVector sv) {
      for (int k = 0; k < sv.indices().length; k++) m += theta[sv.indices()[k]] * sv.values()[k];
    } else {
      double[] v = x.toArray();
      for (int j = 0; j < v.length; j++) m += theta[j] * v[j];
    }
    return m + theta[x.size()];
  }

  @Test
  void crossValidatorPicksTheBestMapOfTheEquivalentJobSweeps(@TempDir Path tmp) throws IOException {
    Dataset<Row> data = AdaptiveEstimatorsTest.libsvm("heart_scale.libsvm", 13).cache();
    AdaptiveLogisticRegression alr = new AdaptiveLogisticRegression().setMaxIter(20).setBatchSize(16).setEvalEvery(20)
        .setNumPartitions(2).setSeed(3).setRegParam(0.01).setTol(0);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(alr.optimizer(), scala.jdk.javaapi.CollectionConverters.asScala(OPTS))
        .addGrid(alr.learningRate(), LRS)
        .build();
    assertEquals(6, grid.length);
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    CrossValidatorModel cvm = new CrossValidator().setEstimator(alr).setEstimatorParamMaps(grid).setEvaluator(auc)
        .setNumFolds(3).setSeed(17).fit(data);

    // The equivalent job sweeps, fold by fold.
    Tuple2<RDD<Row>, RDD<Row>>[] splits = MLUtils.kFold(data.toDF().rdd(), 3, 17L,
        scala.reflect.ClassTag$.MODULE$.apply(Row.class));
    Map<String, Double> sum = new HashMap<>();
    StructType scored = new StructType().add("rawPrediction", new VectorUDT()).add("label", DataTypes.DoubleType);
    for (int f = 0; f < 3; f++) {
      Path fold = tmp.resolve("fold" + f);
      spark.createDataFrame(splits[f]._1(), data.schema()).coalesce(1).write().parquet(fold.toString());
      List<Row> validation = spark.createDataFrame(splits[f]._2(), data.schema()).collectAsList();
      String job = """
          {"name": "cv%d",
           "data": {"type": "parquet", "path": "%s", "label_column": "label", "features_column": "features",
                    "test_fraction": 0, "standardize": false},
           "model": {"type": "logreg", "l2": 0.01},
           "training": {"batch_size": 16, "steps": 21, "eval_every": 20, "seed": 3, "partitions": 2,
                        "checkpoint_every": 20},
           "optimizers": [{"type": "sgd", "lr": [0.003, 0.03, 0.3]}, {"type": "adam", "lr": [0.003, 0.03, 0.3]}],
           "output": "%s"}
          """.formatted(f, fold, tmp.resolve("out"));
      CohortCheckpoint ckpt = AdaptiveEstimatorsTest.jobCheckpoint(tmp.resolve("out"), "cv" + f, job, 20);
      Map<String, PlannedRun> plan = new HashMap<>();
      for (PlannedRun r : SweepPlan.plan(JobLoader.parse(job, "cv.json"))) plan.put(r.runId(), r);
      assertEquals(6, ckpt.runs().size());
      for (CohortCheckpoint.RunState s : ckpt.runs()) {
        PlannedRun r = plan.get(s.runId());
        List<Row> rows = new ArrayList<>();
        for (Row v : validation) {
          double m = margin(s.theta(), (Vector) v.getAs("features"));
          rows.add(RowFactory.create(Vectors.dense(-m, m), v.<Double>getAs("label")));
        }
        double metric = auc.evaluate(spark.createDataFrame(rows, scored));
        sum.merge(r.spec().optimizer().typeName() + " " + r.spec().optimizer().lr(), metric, Double::sum);
      }
    }
    double[] jobAvg = new double[grid.length];
    int best = 0;
    for (int i = 0; i < grid.length; i++) {
      String key = grid[i].apply(alr.optimizer()) + " " + grid[i].apply(alr.learningRate());
      jobAvg[i] = sum.get(key) / 3;
      if (jobAvg[i] > jobAvg[best]) best = i;
    }
    // The same parameters give the same scores; the evaluator's AUC sums its bins per partition,
    // and the scored rows here are partitioned otherwise than CrossValidator's: equal to ~1 ulp.
    for (int i = 0; i < grid.length; i++) {
      assertEquals(jobAvg[i], cvm.avgMetrics()[i], 1e-12, "CrossValidator's metric of map " + i + " = the job sweeps'");
    }
    double top = jobAvg[best];
    double second = java.util.Arrays.stream(jobAvg).filter(x -> x < top).max().orElse(0);
    assertTrue(top - second > 1e-9, "a clear best map: " + java.util.Arrays.toString(jobAvg));
    AdaptiveLogisticRegressionModel chosen = (AdaptiveLogisticRegressionModel) cvm.bestModel();
    assertEquals(grid[best].apply(alr.optimizer()), chosen.getOptimizer());
    assertEquals((Double) grid[best].apply(alr.learningRate()), chosen.getLearningRate());

    // The fused folds: the same metrics, bit for bit, and the same refitted best model.
    CrossValidatorModel fused = new AdaptiveCrossValidator().setEstimator(alr).setEstimatorParamMaps(grid)
        .setEvaluator(auc).setNumFolds(3).setSeed(17).fit(data);
    assertArrayEquals(cvm.avgMetrics(), fused.avgMetrics());
    assertArrayEquals(chosen.parameters().toArray(),
        ((AdaptiveLogisticRegressionModel) fused.bestModel()).parameters().toArray());
    data.unpersist();
  }
}
