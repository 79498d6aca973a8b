package io.adaspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.adaspark.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * save → stop the SparkSession → load in a new one → identical predictions (models, a
 * PipelineModel holding one, and the estimators' Params).
 */
class AdaptivePersistenceTest {
  static Dataset<Row> libsvm(SparkSession spark, String file, int d) {
    return spark.read().format("libsvm").option("numFeatures", Integer.toString(d))
        .load(TestSpark.data(file).toString());
  }

  static List<Row> predictions(Dataset<Row> out) {
    return out.select("rawPrediction", "probability", "prediction").collectAsList();
  }

  @Test
  void modelsSavedAreLoadedInAFreshSessionWithIdenticalPredictions(@TempDir Path tmp) throws Exception {
    SparkSession spark = TestSpark.session();
    AdaptiveLogisticRegression est = new AdaptiveLogisticRegression().setOptimizer("adamw").setLearningRate(0.05)
        .setOptimizerParams("{\"weight_decay\": 0.02}").setSchedule("{\"type\": \"step\", \"step_size\": 10}")
        .setMaxIter(25).setBatchSize(32).setFeaturesCol("scaled");
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"), est})
        .fit(libsvm(spark, "heart_scale.libsvm", 13));
    AdaptiveMLPClassificationModel mlp = new AdaptiveMLPClassifier().setLayers(new int[] {4, 5, 3})
        .setActivation("relu").setMaxIter(25).setBatchSize(16).setSeed(9).fit(libsvm(spark, "iris.libsvm", 4));
    List<Row> lrBefore = predictions(pipeline.transform(libsvm(spark, "heart_scale.libsvm", 13)));
    List<Row> mlpBefore = predictions(mlp.transform(libsvm(spark, "iris.libsvm", 4)));
    double[] theta = ((AdaptiveLogisticRegressionModel) pipeline.stages()[1]).parameters().toArray();
    pipeline.write().save(tmp.resolve("pipeline").toString());
    mlp.write().save(tmp.resolve("mlp").toString());
    est.write().save(tmp.resolve("estimator").toString());

    spark.stop();
    SparkSession fresh = TestSpark.session();
    assertNotSame(spark, fresh);
    PipelineModel p2 = PipelineModel.load(tmp.resolve("pipeline").toString());
    AdaptiveMLPClassificationModel m2 = AdaptiveMLPClassificationModel.load(tmp.resolve("mlp").toString());
    AdaptiveLogisticRegression e2 = AdaptiveLogisticRegression.load(tmp.resolve("estimator").toString());
    AdaptiveLogisticRegressionModel lr2 = (AdaptiveLogisticRegressionModel) p2.stages()[1];

    assertEquals(lrBefore, predictions(p2.transform(libsvm(fresh, "heart_scale.libsvm", 13))));
    assertEquals(mlpBefore, predictions(m2.transform(libsvm(fresh, "iris.libsvm", 4))));
    assertArrayEquals(theta, lr2.parameters().toArray());
    assertEquals("adamw", lr2.getOptimizer());
    assertEquals("{\"weight_decay\": 0.02}", lr2.getOptimizerParams());
    assertEquals("scaled", lr2.getFeaturesCol());
    assertArrayEquals(new int[] {4, 5, 3}, m2.getLayers());
    assertEquals("relu", m2.getActivation());
    assertEquals(9L, m2.getSeed());
    assertFalse(lr2.hasSummary());
    assertThrows(RuntimeException.class, lr2::summary);
    assertEquals(est.uid(), e2.uid());
    assertEquals(est.getSchedule(), e2.getSchedule());
    assertEquals(0.05, e2.getLearningRate());
    assertEquals(25, e2.getMaxIter());
  }
}
