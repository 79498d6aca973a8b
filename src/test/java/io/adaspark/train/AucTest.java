package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class AucTest {
  @Test
  void handWorkedExamples() {
    // 4 pairs (pos, neg): (0.35 vs 0.1) yes, (0.35 vs 0.4) no, (0.8 vs both) yes -> 3/4.
    assertEquals(0.75, Auc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new double[] {0, 0, 1, 1}));
    assertEquals(0.5, Auc.of(new double[] {0.5, 0.5}, new double[] {0, 1}));
    assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.9}, new double[] {0, 0, 1}));
    assertEquals(0.0, Auc.of(new double[] {0.9, 0.2, 0.1}, new double[] {0, 1, 1}));
    assertTrue(Double.isNaN(Auc.of(new double[] {0.1, 0.2}, new double[] {1, 1})));
  }

  @Test
  void equalsMllibExactAucWithTies() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 5000;
    double[] s = new double[n];
    double[] y = new double[n];
    List<Tuple2<Object, Object>> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.4 ? 1 : 0;
      s[i] = Math.round((r.nextGaussian() + y[i]) * 20) / 20.0; // many ties
      pairs.add(new Tuple2<>(s[i], y[i]));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    double mllib = new BinaryClassificationMetrics(jsc.parallelize(pairs, 3).rdd(), 0).areaUnderROC();
    assertEquals(mllib, Auc.of(s, y), 1e-12);
  }
}
