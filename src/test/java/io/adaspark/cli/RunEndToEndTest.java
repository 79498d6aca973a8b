package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` end to end on a real local[2] SparkSession: job file in, Parquet and manifest out. */
class RunEndToEndTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String job(Path out, String name, long seed) {
    return job(out, name, seed, 40, "[{\"type\": \"sgd\", \"lr\": 0.1}, {\"type\": \"adam\", \"lr\": 0.05}]");
  }

  static String job(Path out, String name, long seed, int steps, String optimizers) {
    return """
        {"name": "%s",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "logreg", "l2": 0.001},
         "training": {"batch_size": 16, "steps": %d, "eval_every": 10, "seed": %d, "partitions": 3},
         "optimizers": %s,
         "output": "%s"}
        """.formatted(name, TestSpark.data("heart_scale.libsvm"), steps, seed, optimizers, out);
  }

  static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void writesMetricsRunsAndManifest(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Cli.Result r = run("run", "--no-report", write(tmp, "job.json", job(out, "e2e", 3)).toString());
    assertEquals(0, r.code(), r.err());
    Path dir = out.resolve("e2e");
    assertTrue(r.out().contains("output: "), r.out());
    assertTrue(r.out().contains("adam"), r.out());

    Dataset<Row> metrics = spark.read().parquet(dir.resolve("metrics").toString());
    assertEquals(List.of("run_id", "optimizer", "config", "base_lr", "seed", "step", "epoch",
        "examples_seen", "lr", "batch_loss", "train_loss", "test_loss", "test_accuracy", "test_auc",
        "grad_norm", "suboptimality", "wall_ms", "compute_ms", "optimizer_ms", "validation_loss",
        "validation_accuracy", "model", "l2", "hidden", "batch_size", "training", "f_star", "entry", "trial"),
        Arrays.asList(metrics.columns()));
    assertEquals(2 * 41, metrics.count());
    assertEquals(2, metrics.select("run_id").distinct().count());
    assertEquals(40L, metrics.agg(org.apache.spark.sql.functions.max("step")).first().getLong(0));
    // Evaluations at 0, 10, 20, 30, 40.
    assertEquals(2 * 5, metrics.where("train_loss is not null").count());
    assertEquals(2 * 5, metrics.where("test_accuracy is not null").count());
    assertEquals(2 * 5, metrics.where("test_auc is not null").count());
    assertEquals(2, metrics.where("step = 0 and test_auc = 0.5").count(), "zero init ranks every row equal");
    assertEquals(2 * 4, metrics.where("step > 0 and test_auc > 0.8 and test_auc <= 1").count());
    assertEquals(0, metrics.where("suboptimality is not null").count(), "no f* asked for");
    for (String opt : List.of("sgd", "adam")) {
      List<Row> evals = metrics.where("optimizer = '" + opt + "' and train_loss is not null")
          .orderBy("step").select("train_loss").collectAsList();
      double first = evals.get(0).getDouble(0);
      double last = evals.get(evals.size() - 1).getDouble(0);
      assertEquals(Math.log(2), first, 1e-12, "zero init gives log 2");
      assertTrue(last < 0.6 * first, opt + ": loss " + first + " -> " + last);
    }
    Row step1 = metrics.where("optimizer = 'sgd' and step = 1").first();
    assertEquals(0.1, step1.getDouble(step1.fieldIndex("lr")));
    assertNull(step1.get(step1.fieldIndex("train_loss")));

    Dataset<Row> runs = spark.read().parquet(dir.resolve("runs").toString());
    assertEquals(2, runs.count());
    assertEquals(2, runs.where("status = 'finished' and steps = 40").count());

    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertEquals("e2e", manifest.path("job").path("name").asText());
    assertEquals(270, manifest.path("data").path("rows").asLong());
    assertEquals(13, manifest.path("data").path("features").asInt());
    assertEquals(3, manifest.path("data").path("partitions").asInt());
    assertEquals("local[2]", manifest.path("cluster").path("master").asText());
    assertFalse(manifest.path("data").path("hash").asText().isEmpty());
    assertEquals(spark.version(), manifest.path("spark_version").asText());
    // MLlib's BLAS and LAPACK as netlib chose them: native (JNI) only with a system library such as
    // OpenBLAS; else VectorBLAS when this JVM has jdk.incubator.vector (surefire adds it), Java11BLAS without.
    JsonNode la = manifest.path("linear_algebra");
    boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(la.path("native_blas").asBoolean() ? "dev.ludovic.netlib.blas.JNIBLAS"
        : vector ? "dev.ludovic.netlib.blas.VectorBLAS" : "dev.ludovic.netlib.blas.Java11BLAS", la.path("blas").asText());
    assertTrue(Set.of("dev.ludovic.netlib.lapack.JNILAPACK", "dev.ludovic.netlib.lapack.F2jLAPACK")
        .contains(la.path("lapack").asText()), la.toString());
    assertEquals("driver", la.path("on").asText());
    // Nothing temporary left beside the result.
    try (var s = Files.list(out)) {
      assertEquals(List.of("e2e"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }
  }

  static List<Row> withoutWallClock(Path dir) {
    return spark.read().parquet(dir.resolve("metrics").toString())
        .drop("wall_ms", "compute_ms", "optimizer_ms").orderBy("run_id", "step").collectAsList();
  }

  @Test
  void everyOptimizerVariantScheduleAndClippingFromAJobFile(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    String optimizers = """
        [{"type": "sgd", "lr": 0.1, "schedule": {"type": "constant"}},
         {"type": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "schedule": {"type": "step", "step_size": 5}},
         {"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true, "clip": {"max_norm": 0.5}},
         {"type": "adagrad", "lr": 0.1, "lr_decay": 0.01, "schedule": {"type": "exponential", "gamma": 0.95}},
         {"type": "rmsprop", "centered": true, "momentum": 0.5, "clip": {"max_value": 0.1}},
         {"type": "adadelta", "schedule": {"type": "cosine", "T_max": 20, "eta_min": 0.1}},
         {"type": "adam", "betas": [0.8, 0.99], "amsgrad": true, "schedule": {"type": "linear"}},
         {"type": "adam", "lr": 0.01, "bias_correction": false,
          "schedule": {"type": "warmup", "warmup_steps": 5, "after": {"type": "cosine", "T_max": 15}}},
         {"type": "adamw", "lr": 0.01, "weight_decay": 0.1},
         {"type": "adamax", "eps": 0, "beta1": 0.9, "beta2": 0.99},
         {"type": "nadam", "momentum_decay": 0.01},
         {"type": "nadam", "variant": "simple", "weight_decay": 0.001},
         {"type": "radam", "lr": 0.01}]""";
    String job = job(out, "all", 2, 20, optimizers);
    Cli.Result r = run("run", "--no-report", write(tmp, "all.json", job).toString());
    assertEquals(0, r.code(), r.err());
    Dataset<Row> runs = spark.read().parquet(out.resolve("all/runs").toString());
    assertEquals(13, runs.count());
    assertEquals(13, runs.where("status = 'finished' and steps = 20 and final_train_loss < 0.6931").count(),
        runs.select("optimizer", "status", "final_train_loss").collectAsList().toString());
    Dataset<Row> metrics = spark.read().parquet(out.resolve("all/metrics").toString());
    // The warm-up schedule's first lr is 0 and its sixth is the base lr of its after-schedule.
    String warm = "config like '%warmup%'";
    assertEquals(0.0, metrics.where(warm + " and step = 1").first().getAs("lr"), 0.0);
    assertEquals(0.01, metrics.where(warm + " and step = 6").first().<Double>getAs("lr"), 1e-15);
  }

  @Test
  void optimumAddsSuboptimality(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    String job = job(out, "fstar", 5).replace("\"output\":", "\"optimum\": true, \"output\":");
    Cli.Result r = run("run", "--no-report", write(tmp, "job.json", job).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("optimum: f* = "), r.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("fstar/manifest.json").toFile());
    double fStar = manifest.path("optimum").path("f_star").asDouble();
    assertTrue(fStar > 0.3 && fStar < 0.45, "f* " + fStar);
    assertTrue(manifest.path("optimum").path("grad_norm").asDouble() < 1e-7);
    List<Row> rows = spark.read().parquet(out.resolve("fstar/metrics").toString())
        .where("train_loss is not null").select("train_loss", "suboptimality").collectAsList();
    assertEquals(2 * 5, rows.size());
    for (Row row : rows) {
      assertEquals(row.getDouble(0) - fStar, row.getDouble(1), 0.0);
      assertTrue(row.getDouble(1) > -1e-12, "below f*: " + row);
    }
  }

  @Test
  void anL2GridRecordsOneOptimumPerModelVariant(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    String job = job(out, "fstar2", 5, 5, "[{\"type\": \"sgd\", \"lr\": 0.1}]")
        .replace("\"l2\": 0.001}", "\"l2\": [0.001, 0.1]}")
        .replace("\"output\":", "\"optimum\": true, \"output\":");
    Cli.Result r = run("run", "--no-report", write(tmp, "job.json", job).toString());
    assertEquals(0, r.code(), r.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("fstar2/manifest.json").toFile());
    JsonNode optima = manifest.path("optima");
    assertEquals(2, optima.size(), manifest.toPrettyString());
    assertEquals(0.001, optima.get(0).path("model").path("l2").asDouble(), 0.0);
    assertEquals(0.1, optima.get(1).path("model").path("l2").asDouble(), 0.0);
    double f1 = optima.get(0).path("f_star").asDouble();
    double f2 = optima.get(1).path("f_star").asDouble();
    assertTrue(f2 > f1, "a larger l2 has a larger optimum: " + f1 + " vs " + f2);
    assertEquals(f1, manifest.path("optimum").path("f_star").asDouble(), 0.0, "optimum = the first model's");
    // Each run's suboptimality is against its own model's f*.
    List<Row> rows = spark.read().parquet(out.resolve("fstar2/metrics").toString())
        .where("train_loss is not null").select("train_loss", "suboptimality").collectAsList();
    assertEquals(2 * 2, rows.size());
    java.util.Set<Double> used = new java.util.HashSet<>();
    for (Row row : rows) {
      double loss = row.getDouble(0);
      double sub = row.getDouble(1);
      assertTrue(sub == loss - f1 || sub == loss - f2, "suboptimality " + sub + " of loss " + loss
          + " uses neither f* " + f1 + " nor " + f2);
      used.add(sub == loss - f1 ? f1 : f2);
    }
    assertEquals(java.util.Set.of(f1, f2), used, "both variants' f* are used");
  }

  @Test
  void sameSeedSameMetricsOtherSeedOtherMetrics(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(0, run("run", "--no-report", write(tmp, "a.json", job(out, "a", 11)).toString()).code());
    assertEquals(0, run("run", "--no-report", write(tmp, "b.json", job(out, "b", 11)).toString()).code());
    assertEquals(0, run("run", "--no-report", write(tmp, "c.json", job(out, "c", 12)).toString()).code());
    List<Row> a = withoutWallClock(out.resolve("a"));
    List<Row> b = withoutWallClock(out.resolve("b"));
    List<Row> c = withoutWallClock(out.resolve("c"));
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void rerunReplacesThePreviousResult(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Path job = write(tmp, "job.json", job(out, "again", 1));
    assertEquals(0, run("run", "--no-report", job.toString()).code());
    assertEquals(0, run("run", "--no-report", job.toString()).code());
    try (var s = Files.list(out)) {
      assertEquals(List.of("again"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }
  }

  @Test
  void badJobFilesFailClearlyAndCreateNothing(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    String good = job(out, "bad", 1);
    String[][] cases = {
        {"{\"name\": \"bad\",", "invalid JSON"},
        {good.replace("\"l2\": 0.001", "\"l2\": 0.001, \"color\": 1"), "model.color: unknown field"},
        {good.replace("\"steps\": 40", "\"steps\": \"many\""), "training.steps: expected an integer, got \"many\""},
        {good.replace("\"lr\": 0.1", "\"lr\": -1"), "optimizers[0].lr: expected a number > 0, got -1 (sgd)"},
        {good.replace("heart_scale.libsvm", "no_such_file.libsvm"), "no_such_file.libsvm: no such file or directory"},
    };
    for (String[] c : cases) {
      Cli.Result r = run("run", "--no-report", write(tmp, "bad.json", c[0]).toString());
      assertEquals(2, r.code(), c[1] + " / " + r.err());
      assertTrue(r.err().contains(c[1]), "expected '" + c[1] + "' in: " + r.err());
      assertFalse(Files.exists(out), "output created for: " + c[1]);
    }
    Cli.Result missing = run("run", tmp.resolve("nope.json").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
  }

  @Test
  void helpForEachCommand() {
    Cli.Result top = run("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("run"), top.out());
    Cli.Result r = run("run", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("JOB"), r.out());
    assertNotNull(r.out());
  }
}
