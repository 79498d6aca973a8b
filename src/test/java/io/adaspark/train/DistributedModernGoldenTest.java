package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.golden.GoldenCase;
import io.adaspark.golden.GoldenFile;
import io.adaspark.golden.TorchConfigs;
import io.adaspark.model.Activation;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.MlpConfig;
import io.adaspark.model.Model;
import io.adaspark.optim.ParamBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every full-batch case of the modern golden logreg and mlp_tanh files, trained through the real
 * distributed path (LIBSVM file → Spark → 3 cached partitions → fused cohort → partition-order
 * combine → the optimizers on the driver, created with the model's parameter blocks): the batch
 * loss of every step is the golden {@code loss[k]} (Schedule-Free: at y, the gradient point) and the
 * final evaluation is the golden {@code loss_final} (Schedule-Free: at x, the evaluation point),
 * to the golden tolerance. One cohort per trajectory length, so every case's final loss is checked.
 */
class DistributedModernGoldenTest {
  /** The model with the golden file's initial point; its layout is the inner model's. */
  record FixedInit(Model inner, double[] x0) implements Model {
    @Override public int numParams() { return inner.numParams(); }
    @Override public int numFeatures() { return inner.numFeatures(); }
    @Override public int numClasses() { return inner.numClasses(); }
    @Override public double addLossGradient(double[] t, io.adaspark.data.DataBlock b, int[] rows, int count,
                                            double[] g) {
      return inner.addLossGradient(t, b, rows, count, g);
    }
    @Override public double[] addLossGradientFused(double[][] t, io.adaspark.data.DataBlock b, int[] rows, int count,
                                                   double[][] g) {
      return inner.addLossGradientFused(t, b, rows, count, g);
    }
    @Override public void addEvaluation(double[] t, io.adaspark.data.DataBlock b, double[] out) {
      inner.addEvaluation(t, b, out);
    }
    @Override public double penalty(double[] t, double[] g) { return inner.penalty(t, g); }
    @Override public double[] initialParameters(long seed) { return x0.clone(); }
    @Override public ParamBlocks paramBlocks() { return inner.paramBlocks(); }
  }

  @ParameterizedTest
  @ValueSource(strings = {"logreg", "mlp_tanh"})
  void distributedTrajectoriesMatchModernGolden(String problem, @TempDir Path tmp) throws IOException {
    GoldenFile golden = GoldenFile.read(TestSpark.goldenDir("golden-modern").resolve(problem + ".json"));
    var data = golden.root().path("data");
    int n = data.path("n").asInt();
    var xs = data.path("X");
    int d = xs.get(0).size();
    StringBuilder libsvm = new StringBuilder();
    for (int i = 0; i < n; i++) {
      libsvm.append(data.path("y").get(i).asInt());
      for (int j = 0; j < d; j++) {
        double v = xs.get(i).get(j).asDouble();
        if (v != 0) libsvm.append(' ').append(j + 1).append(':').append(v);
      }
      libsvm.append('\n');
    }
    Path file = tmp.resolve(problem + ".libsvm");
    Files.writeString(file, libsvm);

    PreparedData prepared = DatasetLoader.load(TestSpark.session(),
        DataSpec.of("libsvm", file.toString(), d, 0.0, 0L, false), 3);
    try {
      Model inner = problem.equals("logreg")
          ? new LogRegConfig(data.path("lambda").asDouble(), false).build(d, prepared.numClasses())
          : new MlpConfig(List.of(8), List.of(Activation.TANH), 0).build(d, prepared.numClasses());
      assertEquals(golden.layout(), inner.paramBlocks(), "the model's layout is the file's param_layout");
      Model model = new FixedInit(inner, golden.x0());
      Map<Integer, List<GoldenCase>> byLength = new TreeMap<>();
      for (GoldenCase c : golden.cases()) {
        if (!c.minibatch()) byLength.computeIfAbsent(c.steps(), k -> new ArrayList<>()).add(c);
      }
      int checked = 0;
      for (Map.Entry<Integer, List<GoldenCase>> e : byLength.entrySet()) {
        int steps = e.getKey();
        List<PlannedRun> runs = new ArrayList<>();
        for (GoldenCase c : e.getValue()) {
          runs.add(new PlannedRun(c.id(), new RunSpec(TorchConfigs.optimizer(c, golden.fileName()), null, null), 0L));
        }
        Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()),
            prepared, model, TrainingSpec.of(n, (long) steps, (long) steps, 0L, 3), null);
        List<RunResult> results = trainer.train(runs);
        for (int r = 0; r < results.size(); r++) {
          GoldenCase c = e.getValue().get(r);
          RunResult result = results.get(r);
          assertEquals("finished", result.status(), c.id());
          for (int k = 0; k < steps; k++) {
            MetricRow row = result.rows().get(k + 1);
            assertEquals(k + 1, row.step());
            assertClose(c.loss()[k], row.batchLoss(), golden, c.id() + " batch loss at step " + k);
          }
          MetricRow last = result.rows().get(steps);
          assertNotNull(last.trainLoss(), c.id());
          assertClose(c.lossFinal(), last.trainLoss(), golden, c.id() + " final loss (evaluation point)");
          checked++;
        }
      }
      assertEquals(24, checked, "every full-batch case of the file");
    } finally {
      prepared.unpersist();
    }
  }

  private static void assertClose(double ref, double actual, GoldenFile g, String what) {
    double tol = g.rtol() * Math.abs(ref) + g.atol() * Math.max(1, Math.abs(ref));
    assertTrue(Math.abs(actual - ref) <= tol, what + ": " + actual + " vs " + ref);
  }
}
