package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.model.Activation;
import io.adaspark.model.BinaryScorer;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.Mlp;
import io.adaspark.model.MlpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-class MLP job end to end (issue 19): only two-class models score rows, so a multiclass
 * network has no scoring path at all — its evaluations report loss and accuracy, and AUC is null.
 */
class MulticlassMlpEndToEndTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  @Test
  void onlyTwoClassModelsScoreRows() {
    Activation[] tanh = {Activation.TANH};
    assertFalse(Mlp.of(new int[] {4, 8, 3}, tanh, 0) instanceof BinaryScorer, "3 classes: no scores");
    assertTrue(Mlp.of(new int[] {4, 8, 2}, tanh, 0) instanceof BinaryScorer, "2 classes: scores");
    assertFalse(new MlpConfig(List.of(8), List.of(Activation.TANH), 0).build(4, 3) instanceof BinaryScorer);
    assertTrue(new MlpConfig(List.of(8), List.of(Activation.TANH), 0).build(4, 2) instanceof BinaryScorer);
    assertFalse(Mlp.softmaxRegression(4, 3, 0) instanceof BinaryScorer);
    assertTrue(Mlp.softmaxRegression(4, 2, 0) instanceof BinaryScorer, "multinomial logreg on 2 classes keeps AUC");
    assertTrue(new LogRegConfig(0.0, false).build(4, 2) instanceof BinaryScorer);
  }

  @Test
  void threeClassMlpRunsWithAccuracyAndWithoutAuc(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Path job = tmp.resolve("job.json");
    Files.writeString(job, """
        {"name": "mc",
         "data": {"type": "synthetic", "generator": "gaussian_mixture", "classes": 3, "rows": 600,
                  "features": 4, "seed": 5, "test_fraction": 0.25},
         "model": {"type": "mlp", "hidden": [8], "activation": "tanh"},
         "training": {"batch_size": 32, "steps": 60, "eval_every": 20, "seed": 1, "partitions": 2},
         "optimizers": [{"type": "adam", "lr": 0.05}, {"type": "sgd", "lr": 0.5}],
         "output": "%s"}
        """.formatted(out));
    Cli.Result r = Cli.run("run", job.toString());
    assertEquals(0, r.code(), r.err());
    Path dir = out.resolve("mc");
    Dataset<Row> m = spark.read().parquet(dir.resolve("metrics").toString());
    // Evaluations at steps 0, 20, 40, 60 of both runs: loss and accuracy, never AUC.
    assertEquals(2 * 4, m.where("train_loss IS NOT NULL AND test_loss IS NOT NULL AND test_accuracy IS NOT NULL")
        .count());
    assertEquals(0, m.where("test_auc IS NOT NULL").count());
    // An accuracy is a share of the test rows; with 3 classes chance is 1/3 and these
    // well-separated clusters are learnt far beyond it.
    for (Row e : m.where("step = 60").select("test_accuracy").collectAsList()) {
      double acc = e.getDouble(0);
      assertTrue(acc > 0.6 && acc <= 1.0, "final test accuracy " + acc);
    }
    Dataset<Row> runs = spark.read().parquet(dir.resolve("runs").toString());
    assertEquals(List.of("finished", "finished"),
        runs.orderBy("run_id").select("status").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    String report = Files.readString(dir.resolve("report").resolve("index.md"));
    assertTrue(report.contains("adam") && report.contains("sgd"), report);
  }
}
