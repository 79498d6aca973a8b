package io.adaspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import io.adaspark.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defect of issue 20: a grid over the model and the training ({@code l2} × {@code batch_size})
 * with 2 seeds was reported as one configuration with 8 seeds. Now it is 4 configurations × 2
 * seeds, each run carries its own variant and f*, and selection on validation, the pairwise
 * table and the tuning-budget curve come out of one real run of the CLI.
 */
class VariantGridReportTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String job(Path out) {
    return """
        {"name": "grid",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.2,
                  "validation_fraction": 0.2, "split_seed": 3},
         "model": {"type": "logreg", "l2": [0.0001, 0.1]},
         "training": {"batch_size": [16, 128], "steps": 20, "eval_every": 10, "seeds": [1, 2], "partitions": 2},
         "optimizers": [{"type": "sgd", "lr": 0.1},
                        {"type": "adam", "lr": {"logUniform": [0.003, 0.3]}, "samples": 2}],
         "optimum": true,
         "report": {"select_by": "validation_loss"},
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), out);
  }

  @Test
  void aGridOverL2AndBatchSizeIsFourConfigurationsOfTwoSeedsEachWithItsOwnFStar(@TempDir Path tmp)
      throws IOException {
    Path file = tmp.resolve("grid.json");
    Files.writeString(file, job(tmp.resolve("out")));
    Cli.Result r = Cli.run("run", file.toString());
    assertEquals(0, r.code(), r.err());
    Path dir = tmp.resolve("out").resolve("grid");
    // The stdout table names each run's variant and its validation loss.
    assertTrue(r.out().contains("variant") && r.out().contains("val_loss"), r.out());
    assertTrue(r.out().contains("l2=0.1 B=128") && r.out().contains("l2=0.0001 B=16"), r.out());

    // f* of each variant in the manifest; the l2 = 0.1 objective's minimum is the larger one.
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    Map<Double, Double> fStarByL2 = new HashMap<>();
    for (JsonNode v : manifest.path("optimum").path("variants")) {
      double l2 = new ObjectMapper().readTree(v.path("model").asText()).path("l2").asDouble();
      fStarByL2.put(l2, v.path("f_star").asDouble());
    }
    assertEquals(2, fStarByL2.size(), manifest.path("optimum").toString());
    assertTrue(fStarByL2.get(0.1) > fStarByL2.get(0.0001), fStarByL2.toString());
    assertTrue(manifest.path("data").path("validation_rows").asLong() > 0);

    // Every run of runs/ carries its own variant's f* (matched by its l2 value) and its batch size.
    List<Row> runs = spark.read().parquet(dir.resolve("runs").toString())
        .selectExpr("l2", "batch_size", "f_star", "model", "training", "final_validation_loss", "trial").collectAsList();
    assertEquals(2 * 2 * 2 * 3, runs.size()); // l2 x batch x seeds x (1 sgd + 2 adam draws)
    for (Row row : runs) {
      double l2 = row.getDouble(0);
      assertEquals(fStarByL2.get(l2), row.getDouble(2), 0.0, "f* of the run with l2 = " + l2);
      assertTrue(row.getString(3).contains("\"l2\":" + (l2 == 0.1 ? "0.1" : "1.0E-4")), row.getString(3));
      assertTrue(row.getString(4).contains("\"batch_size\":" + row.getLong(1)), row.getString(4));
      assertNotNull(row.get(5), "validation loss");
    }
    assertEquals(2 * 2 * 2 * 2, runs.stream().filter(x -> !x.isNullAt(6)).count()); // the adam draws

    // configs.csv: sgd's single optimizer configuration is 4 configurations (its variants) of 2 seeds.
    Path report = dir.resolve("report");
    List<Map<String, String>> configs = ReportTest.csv(report.resolve("configs.csv"));
    List<Map<String, String>> sgd = configs.stream().filter(c -> c.get("optimizer").equals("sgd")).toList();
    assertEquals(4, sgd.size(), sgd.toString());
    for (Map<String, String> c : sgd) assertEquals("2", c.get("seeds"), c.toString());
    assertEquals(4, sgd.stream().map(c -> c.get("variant")).distinct().count());
    assertEquals(4 * 2, configs.size() - sgd.size()); // adam: 2 draws x 4 variants

    // Each configuration's median final loss is the median of its own two runs (not of 8 mixed ones).
    spark.read().parquet(dir.resolve("runs").toString()).createOrReplaceTempView("grid_runs");
    Map<String, Double> expected = new HashMap<>();
    for (Row e : spark.sql("SELECT l2, batch_size, (min(final_train_loss) + max(final_train_loss)) / 2, count(*) "
        + "FROM grid_runs WHERE optimizer = 'sgd' GROUP BY l2, batch_size").collectAsList()) {
      assertEquals(2L, e.getLong(3));
      expected.put((e.getDouble(0) == 0.1 ? "0.1" : "1e-4") + "/" + e.getLong(1), e.getDouble(2));
    }
    for (Map<String, String> c : sgd) {
      String key = (c.get("model").contains("\"l2\":0.1") ? "0.1" : "1e-4") + "/"
          + (c.get("training").contains("\"batch_size\":16") ? 16 : 128);
      assertEquals(expected.get(key), ReportTest.num(c.get("final_train_loss")), 1e-15, key);
    }
    // The variants differ: the l2 = 0.1 configurations' losses are far above the l2 = 1e-4 ones.
    assertTrue(expected.get("0.1/16") > expected.get("1e-4/16") + 0.02, expected.toString());

    // Selection on validation: each optimizer's best configuration is its lowest median validation loss.
    Map<String, Map<String, String>> summary = ReportTest.byKey(ReportTest.csv(report.resolve("summary.csv")),
        "optimizer");
    for (String opt : List.of("sgd", "adam")) {
      Map<String, String> s = summary.get(opt);
      assertEquals("validation_loss", s.get("select_by"));
      double best = configs.stream().filter(c -> c.get("optimizer").equals(opt))
          .mapToDouble(c -> ReportTest.num(c.get("final_validation_loss"))).min().orElseThrow();
      assertEquals(best, ReportTest.num(s.get("final_validation_loss")), 0.0, opt);
      assertEquals("2", s.get("seeds"));
      // Two seeds: a 95 % interval around the median in the table and the CSV.
      double lo = ReportTest.num(s.get("final_test_loss_ci_low"));
      double hi = ReportTest.num(s.get("final_test_loss_ci_high"));
      double med = ReportTest.num(s.get("final_test_loss"));
      assertTrue(lo <= med && med <= hi, s.toString());
      assertNotNull(ReportTest.num(s.get("profile_score_steps")));
    }
    String md = Files.readString(report.resolve("index.md"));
    assertTrue(md.contains("validation** loss"), md);
    assertTrue(md.matches("(?s).*\\| sgd \\| sgd lr=0\\.1 [^|]*\\| 2 \\| [0-9.e-]+ \\[[0-9.e-]+, [0-9.e-]+\\] \\|.*"), md);

    // Paired comparisons (2 shared seeds) and the tuning budget of adam's 2 draws.
    List<Map<String, String>> pairs = ReportTest.csv(report.resolve("pairwise.csv"));
    assertEquals(2, pairs.size(), pairs.toString()); // adam vs sgd on train and test loss
    for (Map<String, String> p : pairs) assertEquals("2", p.get("seeds"));
    List<Map<String, String>> budget = ReportTest.csv(report.resolve("tuning_budget.csv"));
    assertEquals(2, budget.size(), budget.toString()); // n = 1, 2 of the best variant's 2 draws
    assertEquals("adam", budget.get(0).get("optimizer"));
    assertEquals("final_validation_loss", budget.get(0).get("metric"));
    assertTrue(ReportTest.num(budget.get(1).get("expected_best")) <= ReportTest.num(budget.get(0).get("expected_best")));
    for (String f : List.of("tuning_budget.png", "sensitivity.png", "train_loss_step.png")) {
      assertTrue(ReportTest.figureLinks(md).contains(f), f);
      ReportTest.assertRealPng(report.resolve(f));
    }
    assertNotEquals(fStarByL2.get(0.1), fStarByL2.get(0.0001));
  }
}
