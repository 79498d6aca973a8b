package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import io.adaspark.optim.Optimizer;
import io.adaspark.optim.Sgd;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * f* from MLlib mapped onto adaspark's objective: adaspark's gradient vanishes at MLlib's
 * solution, and adaspark's own optimizer, run to convergence on the same rows, lands on f*.
 */
class ConvexOptimumTest {
  @ParameterizedTest
  @CsvSource({"heart_scale.libsvm, 13, 0.01", "iris.libsvm, 4, 0.01", "wine.libsvm, 13, 0.05"})
  void mllibOptimumIsAdasparksOptimum(String file, int d, double l2) {
    SparkSession spark = TestSpark.session();
    PreparedData data = DatasetLoader.load(spark, DataSpec.of("libsvm", TestSpark.data(file).toString(), d, 0.2,
        3L, true), 3);
    try {
      LogRegConfig config = new LogRegConfig(l2, false);
      Model model = config.build(data.numFeatures(), data.numClasses());
      Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, model,
          TrainingSpec.of(16, 1L, 1L, 0L, 3), null);
      ConvexOptimum.Result opt = ConvexOptimum.compute(spark, trainer.objective(), data.train(), config, 1000, 1e-12);
      assertTrue(opt.gradNorm() < 1e-7, "adaspark gradient norm at MLlib's optimum " + opt.gradNorm());
      assertEquals(opt.mllibObjective(), opt.fStar(), 1e-10 * opt.fStar(), "MLlib's objective = adaspark's");

      // adaspark's own full-batch Nesterov SGD on the same blocks, to convergence.
      List<DataBlock> blocks = data.train().collect();
      long n = data.trainRows();
      double[] theta = model.initialParameters(0);
      Optimizer sgd = new Sgd.Config(0.1, 0.9, 0.0, true, 0.0).create(theta.length);
      double loss = 0;
      double[] g = new double[theta.length];
      for (int step = 0; step < 20000; step++) {
        java.util.Arrays.fill(g, 0);
        double sum = 0;
        for (DataBlock b : blocks) sum += model.addLossGradient(theta, b, null, b.numRows(), g);
        for (int i = 0; i < g.length; i++) g[i] /= n;
        loss = sum / n + model.penalty(theta, g);
        sgd.step(theta, g, 0.1);
      }
      assertTrue(loss >= opt.fStar() - 1e-12 * opt.fStar(), "below the optimum: " + loss + " < " + opt.fStar());
      assertEquals(opt.fStar(), loss, 1e-6 * opt.fStar(), file + ": trained " + loss + " vs f* " + opt.fStar());
    } finally {
      data.unpersist();
    }
  }
}
