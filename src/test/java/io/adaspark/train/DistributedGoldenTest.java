package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.data.DataSpec;
import io.adaspark.data.DataBlock;
import io.adaspark.data.DatasetLoader;
import io.adaspark.data.PreparedData;
import io.adaspark.golden.GoldenCase;
import io.adaspark.golden.GoldenFile;
import io.adaspark.golden.TorchConfigs;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every full-batch case of the golden logreg and softmax files, trained through the real
 * distributed path (LIBSVM file → Spark → 3 cached partitions → fused cohort of all cases →
 * partition-order combine → adaspark's optimizers and schedules on the driver) reproduces the
 * golden losses step by step to the golden tolerance.
 */
class DistributedGoldenTest {
  /** The model with the golden file's initial point instead of the seeded one. */
  record FixedInit(Model inner, double[] x0) implements Model {
    @Override public int numParams() { return inner.numParams(); }
    @Override public int numFeatures() { return inner.numFeatures(); }
    @Override public int numClasses() { return inner.numClasses(); }
    @Override public double addLossGradient(double[] t, DataBlock b, int[] rows, int count, double[] g) {
      return inner.addLossGradient(t, b, rows, count, g);
    }
    @Override public double[] addLossGradientFused(double[][] t, DataBlock b, int[] rows, int count, double[][] g) {
      return inner.addLossGradientFused(t, b, rows, count, g);
    }
    @Override public void addEvaluation(double[] t, DataBlock b, double[] out) { inner.addEvaluation(t, b, out); }
    @Override public double penalty(double[] t, double[] g) { return inner.penalty(t, g); }
    @Override public double[] initialParameters(long seed) { return x0.clone(); }
  }

  @ParameterizedTest
  @ValueSource(strings = {"logreg", "softmax"})
  void distributedTrajectoriesMatchGolden(String problem, @TempDir Path tmp) throws IOException {
    GoldenFile golden = GoldenFile.read(TestSpark.golden().resolve(problem + ".json"));
    var data = golden.root().path("data");
    int n = data.path("n").asInt();
    int d = data.path("d").asInt();
    StringBuilder libsvm = new StringBuilder();
    for (int i = 0; i < n; i++) {
      libsvm.append(data.path("y").get(i).asInt());
      for (int j = 0; j < d; j++) {
        double v = data.path("X").get(i).get(j).asDouble();
        if (v != 0) libsvm.append(' ').append(j + 1).append(':').append(v);
      }
      libsvm.append('\n');
    }
    Path file = tmp.resolve(problem + ".libsvm");
    Files.writeString(file, libsvm);

    PreparedData prepared = DatasetLoader.load(TestSpark.session(),
        DataSpec.of("libsvm", file.toString(), d, 0.0, 0L, false), 3);
    try {
      boolean binary = problem.equals("logreg");
      double l2 = binary ? data.path("lambda").asDouble() : 0.0;
      Model model = new FixedInit(new LogRegConfig(l2, !binary).build(d, prepared.numClasses()), golden.x0());
      List<PlannedRun> runs = new ArrayList<>();
      List<GoldenCase> cases = new ArrayList<>();
      int maxSteps = 0;
      for (GoldenCase c : golden.cases()) {
        if (c.minibatch()) continue;
        RunSpec spec = new RunSpec(TorchConfigs.optimizer(c, golden.fileName()),
            TorchConfigs.schedule(c, golden.fileName()), null);
        runs.add(new PlannedRun(c.id(), spec, 0L));
        cases.add(c);
        maxSteps = Math.max(maxSteps, c.steps());
      }
      Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()),
          prepared, model, TrainingSpec.of(n, (long) maxSteps, (long) maxSteps, 0L, 3), null);
      List<RunResult> results = trainer.train(runs);
      assertEquals(44, results.size());
      for (int r = 0; r < results.size(); r++) {
        GoldenCase c = cases.get(r);
        RunResult result = results.get(r);
        assertEquals("finished", result.status(), c.id());
        for (int k = 0; k < c.steps(); k++) {
          MetricRow row = result.rows().get(k + 1);
          assertEquals(k + 1, row.step());
          double ref = c.loss()[k];
          assertEquals(ref, row.batchLoss(), golden.rtol() * Math.abs(ref) + golden.atol() * Math.max(1, Math.abs(ref)),
              c.id() + " loss at step " + k);
          if (c.lr() != null) assertEquals(c.lr()[k], row.lr(), 1e-10 * c.lr()[k] + 1e-16, c.id() + " lr " + k);
        }
        if (c.steps() == maxSteps) {
          double ref = c.lossFinal();
          MetricRow last = result.rows().get(maxSteps);
          assertTrue(last.trainLoss() != null);
          assertEquals(ref, last.trainLoss(), golden.rtol() * Math.abs(ref) + golden.atol() * Math.max(1, Math.abs(ref)),
              c.id() + " final loss");
        }
      }
    } finally {
      prepared.unpersist();
    }
  }
}
