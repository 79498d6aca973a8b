package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DataBlock;
import io.adaspark.data.PreparedData;
import io.adaspark.model.Activation;
import io.adaspark.model.Mlp;
import io.adaspark.model.Model;
import io.adaspark.optim.Adam;
import io.adaspark.train.MetricRow;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunResult;
import io.adaspark.train.RunSpec;
import io.adaspark.train.Trainer;
import io.adaspark.train.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's MLP shape family (a first layer of m ≥ 8 units: the outer-product kernel) on a
 * real local[2] session through {@link Trainer}: every run of a fused cohort of K = 4 Adam runs
 * has exactly the metrics (bits) of the same run trained alone, and of the cohort in another order.
 */
class WideMlpCohortTest {
  private static List<PlannedRun> runs(int... which) {
    List<PlannedRun> out = new ArrayList<>();
    for (int j : which) {
      Adam.Config c = Adam.Config.fromJson(1e-3 * (1 + 3 * j), null, null, null, null, null, null, null);
      out.add(new PlannedRun(String.format("r%d", j), new RunSpec(c, null, null), 7L));
    }
    return out;
  }

  private static List<Long> bits(RunResult r) {
    List<Long> b = new ArrayList<>();
    for (MetricRow m : r.rows()) {
      b.add(m.step());
      for (Double v : new Double[] {m.batchLoss(), m.trainLoss(), m.gradNorm()}) {
        b.add(v == null ? 0L : Double.doubleToLongBits(v));
      }
    }
    return b;
  }

  @Test
  void fusedRunsAreTheRunsAloneBitForBit() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    Synthetic s = new Synthetic(3000, 21, 0, 9L, 3);
    JavaRDD<DataBlock> blocks = s.blocks(jsc);
    try {
      PreparedData data = s.prepared(jsc, blocks);
      Model model = new Mlp(new int[] {21, 16, 2}, new Activation[] {Activation.SIGMOID}, 0.0);
      TrainingSpec spec = TrainingSpec.of(200, 12L, 4L, 5L, data.partitions());
      List<RunResult> fused = new Trainer(jsc, data, model, spec, null).train(runs(0, 1, 2, 3));
      List<RunResult> reversed = new Trainer(jsc, data, model, spec, null).train(runs(3, 2, 1, 0));
      for (int j = 0; j < 4; j++) {
        RunResult alone = new Trainer(jsc, data, model, spec, null).train(runs(j)).get(0);
        assertEquals("finished", alone.status());
        assertEquals(13, alone.rows().size(), "step 0 and 12 steps");
        assertTrue(alone.rows().get(12).trainLoss() != null, "evaluated at the last step");
        assertEquals(bits(alone), bits(fused.get(j)), "run " + j + " fused with 3 others");
        assertEquals(bits(alone), bits(reversed.get(3 - j)), "run " + j + " fused in reverse order");
      }
    } finally {
      blocks.unpersist(true);
    }
  }
}
