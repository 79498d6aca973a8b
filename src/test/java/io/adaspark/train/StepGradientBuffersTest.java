package io.adaspark.train;

import static io.adaspark.train.FixedTreeTest.bits;
import static io.adaspark.train.FixedTreeTest.thetas;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.data.SyntheticSpec;
import io.adaspark.model.BinaryLogisticRegression;
import io.adaspark.model.Model;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * A cohort that densifies each step's sparse merged gradient into rows it keeps
 * ({@link CohortObjective#reusingStepGradients}) gets the bits of new arrays a step, over
 * several steps whose parameters move, with an L2 penalty (which writes every coordinate of the
 * kept rows, so a row not fully zeroed before the next step would show), with the K·n of a
 * broadcast and then, after runs stop, of parameters sent inside the tasks; P = 1, 3, 8, fan-in 2.
 */
class StepGradientBuffersTest {

  @Test
  void keptRowsGiveTheBitsOfNewArraysStepAfterStep() {
    var spark = TestSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Model model = new BinaryLogisticRegression(3000, 0.001);
    for (int p : new int[] {1, 3, 8}) {
      // synthetic logistic, d = 3000, 30 non-zeros a row, CSR; a batch of 48 rows touches at most
      // 1,440 coordinates, under the two thirds of 3,001 where a sum turns dense: the root is sparse
      PreparedData data = DatasetLoader.load(spark, SyntheticSpec.of("logistic", 2000L, 3000, null, 0.01, null, 5L,
          0.0, 1L, false, "sparse"), p);
      try {
        BatchSampler sampler = new BatchSampler(11, data.partitionRows(), 48);
        CohortObjective fresh = new CohortObjective(jsc, data, model, 2);
        CohortObjective kept = new CohortObjective(jsc, data, model, 2).reusingStepGradients();
        double[][] th = thetas(model, 6, 3);  // 6·3001 > 16,384: a broadcast
        double[] firstRow = null;
        for (long k = 0; k < 5; k++) {
          if (k == 3) th = Arrays.copyOf(th, 2);  // runs stopped: 2·3001, inside the tasks
          CohortObjective.Result a = fresh.step(th, sampler, k);
          CohortObjective.Result b = kept.step(th, sampler, k);
          String what = "P = " + p + ", step " + k;
          assertEquals(a.count(), b.count(), what + ": count");
          assertArrayEquals(bits(a.losses()), bits(b.losses()), what + ": losses");
          assertEquals(th.length, b.grads().length, what + ": runs");
          int touched = 0;
          for (int j = 0; j < th.length; j++) {
            assertArrayEquals(bits(a.grads()[j]), bits(b.grads()[j]), what + ": gradient of run " + j);
          }
          // the data part is sparse: the rows' features plus the intercept, far from all 3,001
          for (int i = 0; i < model.numParams(); i++) {
            if (a.grads()[0][i] - 0.001 * th[0][i] != 0.0) touched++;
          }
          assertTrue(touched > 0 && touched <= 48 * 30 + 1, what + ": " + touched + " touched coordinates");
          // the kept rows are the same arrays every step; the fresh path's are new
          if (firstRow == null) firstRow = b.grads()[0];
          assertSame(firstRow, b.grads()[0], what + ": kept row");
          assertNotSame(b.grads()[0], a.grads()[0], what);
          for (int j = 0; j < th.length; j++) {  // the runs move: the next step reads new parameters
            for (int i = 0; i < th[j].length; i++) th[j][i] -= 0.5 * a.grads()[j][i];
          }
        }
      } finally {
        data.unpersist();
      }
    }
  }
}
