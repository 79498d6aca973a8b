package io.adaspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.cli.Cli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of real small runs (the CLI in-process on the shared local[2] session): the figures
 * are real PNGs, the tables equal the same numbers computed with Spark SQL from the Parquet
 * tables, diverged runs show as diverged, partial outputs still get a report.
 */
class ReportTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String job(Path out, String name, long seed, String optimizers) {
    return """
        {"name": "%s",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "logreg", "l2": 0.001},
         "training": {"batch_size": 16, "steps": 40, "eval_every": 10, "seed": %d, "partitions": 3},
         "optimizers": [%s],
         "output": "%s"}
        """.formatted(name, TestSpark.data("heart_scale.libsvm"), seed, optimizers, out);
  }

  static final String FOUR = """
      {"type": "sgd", "lr": 0.1}, {"type": "sgd", "lr": 0.3},
      {"type": "adam", "lr": 0.01, "schedule": {"type": "cosine", "T_max": 40}},
      {"type": "adam", "lr": 0.05, "schedule": {"type": "cosine", "T_max": 40}}""";

  static Cli.Result cli(String... args) {
    return Cli.run(args);
  }

  static Path runJob(Path tmp, Path out, String name, long seed, String optimizers, String... extra) throws IOException {
    return runJob(tmp, job(out, name, seed, optimizers), out.resolve(name), extra);
  }

  static Path runJob(Path tmp, String job, Path dir, String... extra) throws IOException {
    Path file = tmp.resolve(dir.getFileName() + ".json");
    Files.writeString(file, job);
    List<String> args = new ArrayList<>(List.of("run", file.toString()));
    args.addAll(List.of(extra));
    Cli.Result r = cli(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    return dir;
  }

  /** The figure files index.md links to. */
  static Set<String> figureLinks(String md) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)").matcher(md);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  static void assertRealPng(Path png) throws IOException {
    assertTrue(Files.exists(png), png + " missing");
    assertTrue(Files.size(png) > 5_000, png + " is only " + Files.size(png) + " bytes");
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, png + " is not a readable image");
    assertTrue(img.getWidth() >= 600 && img.getHeight() >= 400, png + ": " + img.getWidth() + "x" + img.getHeight());
    // Not a blank canvas: many distinct colours (lines, bands, text).
    Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
    assertTrue(colours.size() > 20, png + " has only " + colours.size() + " colours");
  }

  /** A small CSV reader (quoted fields with doubled quotes), keyed by header. */
  static List<Map<String, String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String> header = fields(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = fields(line);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.size(); i++) row.put(header.get(i), i < f.size() ? f.get(i) : "");
      rows.add(row);
    }
    return rows;
  }

  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, String key) {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (Map<String, String> r : rows) out.put(r.get(key), r);
    return out;
  }

  static Double num(String s) {
    return s == null || s.isEmpty() ? null : Double.parseDouble(s);
  }

  @Test
  void runEndsWithItsReportAndTheReportMatchesSparkSql(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Path file = tmp.resolve("small.json");
    Files.writeString(file, job(out, "small", 5, FOUR));
    Cli.Result r = cli("run", file.toString());
    assertEquals(0, r.code(), r.err());
    Path dir = out.resolve("small");
    Path report = dir.resolve("report");
    String[] lines = r.out().strip().split("\n");
    assertTrue(lines[lines.length - 1].startsWith("report: file:/"), r.out());
    assertTrue(lines[lines.length - 1].endsWith("/out/small/report/index.md"), r.out());

    String md = Files.readString(report.resolve("index.md"));
    Set<String> figures = figureLinks(md);
    for (String expected : List.of("train_loss_step.png", "train_loss_time.png", "test_loss_step.png",
        "test_loss_time.png", "test_accuracy.png", "lr.png",
        "sensitivity.png", "profile_steps.png", "profile_seconds.png")) {
      assertTrue(figures.contains(expected), expected + " not in " + figures);
    }
    for (String f : figures) assertRealPng(report.resolve(f));
    try (var s = Files.list(report)) {
      assertEquals(figures.size(), s.filter(p -> p.toString().endsWith(".png")).count(), "unlinked figures");
    }
    // No temporary directory left beside report/ (parts/ holds the sweep's committed cohorts;
    // Hadoop's local file system writes .crc checksums beside files).
    try (var s = Files.list(dir)) {
      assertEquals(Set.of("metrics", "runs", "manifest.json", "parts", "report"),
          s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
              .collect(java.util.stream.Collectors.toSet()));
    }

    // The same numbers straight from the Parquet tables.
    spark.read().parquet(dir.resolve("runs").toString()).createOrReplaceTempView("small_runs");
    spark.read().parquet(dir.resolve("metrics").toString()).createOrReplaceTempView("small_metrics");
    double target = spark.sql("SELECT min(final_train_loss) * 1.01 FROM small_runs WHERE status = 'finished'")
        .first().getDouble(0);
    assertTrue(md.contains("Target train loss: **" + Report.fmt(target) + "**"), md);
    List<Row> expected = spark.sql("""
        SELECT r.optimizer, r.config, r.final_train_loss, r.best_train_loss, r.final_test_loss,
               r.final_test_accuracy, c.n, c.div,
               (SELECT min(step) FROM small_metrics m WHERE m.run_id = r.run_id AND m.train_loss <= %s) AS steps,
               (SELECT min_by(wall_ms, step) / 1000.0 FROM small_metrics m
                 WHERE m.run_id = r.run_id AND m.train_loss <= %s) AS secs
        FROM small_runs r JOIN (
          SELECT optimizer, min(final_train_loss) AS best, count(*) AS n,
                 sum(CASE WHEN status = 'diverged' THEN 1 ELSE 0 END) AS div
          FROM small_runs GROUP BY optimizer) c
        ON r.optimizer = c.optimizer AND r.final_train_loss = c.best
        ORDER BY r.optimizer""".formatted(target + "D", target + "D")).collectAsList();
    assertEquals(2, expected.size());
    Map<String, Map<String, String>> summary = byKey(csv(report.resolve("summary.csv")), "optimizer");
    assertEquals(Set.of("sgd", "adam"), summary.keySet());
    for (Row e : expected) {
      Map<String, String> s = summary.get(e.getString(0));
      assertEquals(e.getString(1), s.get("best_config"));
      assertEquals(e.getDouble(2), num(s.get("final_train_loss")));
      assertEquals(e.getDouble(3), num(s.get("best_train_loss")));
      assertEquals(e.getDouble(4), num(s.get("final_test_loss")));
      assertEquals(e.getDouble(5), num(s.get("final_test_accuracy")));
      assertEquals(e.getLong(6), Long.parseLong(s.get("runs")));
      assertEquals(e.getLong(7), Long.parseLong(s.get("diverged")));
      assertEquals(e.isNullAt(8) ? null : (double) e.getLong(8), num(s.get("steps_to_target")));
      assertEquals(e.isNullAt(9) ? null : e.getDouble(9), num(s.get("seconds_to_target")));
      // And the Markdown row shows the same values.
      String row = md.lines().filter(l -> l.startsWith("| " + e.getString(0) + " | " + e.getString(0) + " lr="))
          .findFirst().orElseThrow(() -> new AssertionError("no summary row for " + e.getString(0) + "\n" + md));
      assertTrue(row.contains("| " + Report.fmt(e.getDouble(2)) + " |"), row);
      assertTrue(row.contains("| " + Report.fmt(e.getDouble(5)) + " |"), row);
    }
    // The best run of all reaches the target (it defines it), so someone has steps to target.
    assertTrue(summary.values().stream().anyMatch(s -> !s.get("steps_to_target").isEmpty()));
    // Every run is in runs.csv with the runs/ table's final loss.
    Map<String, Map<String, String>> runs = byKey(csv(report.resolve("runs.csv")), "run_id");
    for (Row e : spark.sql("SELECT run_id, final_train_loss, status FROM small_runs").collectAsList()) {
      assertEquals(e.getDouble(1), num(runs.get(e.getString(0)).get("final_train_loss")));
      assertEquals(e.getString(2), runs.get(e.getString(0)).get("status"));
    }
    assertEquals(4, runs.size());
    assertTrue(md.contains("## Definitions"));
  }

  @Test
  void divergedRunsShowAsDiverged(@TempDir Path tmp) throws IOException {
    // With f* (the lead's "optimum": true): suboptimality curves and an f*-based target.
    Path dir = runJob(tmp, job(tmp.resolve("out"), "div", 3,
        "{\"type\": \"sgd\", \"lr\": 1e9}, {\"type\": \"sgd\", \"lr\": 0.1}, {\"type\": \"adam\", \"lr\": 0.05},"
            + " {\"type\": \"adamw\", \"lr\": 1e9}").replace("\"output\":", "\"optimum\": true, \"output\":"),
        tmp.resolve("out").resolve("div"), "--no-report");
    // The premise: with l2 (and AdamW's decay) these lrs multiply the weights by ~-1e6 a step, so the
    // objective overflows to +Inf within 40 steps and the trainer marks the runs diverged.
    List<Row> statuses = spark.read().parquet(dir.resolve("runs").toString())
        .selectExpr("optimizer", "base_lr", "status").orderBy("optimizer", "base_lr").collectAsList();
    assertEquals("[[adam,0.05,finished], [adamw,1.0E9,diverged], [sgd,0.1,finished], [sgd,1.0E9,diverged]]",
        statuses.toString());
    assertFalse(Files.exists(dir.resolve("report")), "--no-report wrote a report");

    Cli.Result r = cli("report", dir.toString());
    assertEquals(0, r.code(), r.err());
    Path report = dir.resolve("report");
    assertTrue(r.out().strip().endsWith("/report/index.md"), r.out());
    String md = Files.readString(report.resolve("index.md"));
    for (String f : figureLinks(md)) assertRealPng(report.resolve(f));
    assertTrue(figureLinks(md).containsAll(List.of("sensitivity.png", "suboptimality.png", "test_auc.png")),
        figureLinks(md).toString());
    double fStar = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("manifest.json").toFile())
        .path("optimum").path("f_star").asDouble();
    assertTrue(md.contains("f* = " + Report.fmt(fStar)), md);
    assertTrue(md.contains("Target train loss: **" + Report.fmt(fStar + 1e-3 * Math.max(Math.abs(fStar), 1e-3)) + "**"), md);

    Map<String, Map<String, String>> summary = byKey(csv(report.resolve("summary.csv")), "optimizer");
    assertEquals("1", summary.get("sgd").get("diverged"));
    assertEquals("2", summary.get("sgd").get("runs"));
    assertTrue(summary.get("sgd").get("best_config").contains("\"lr\":0.1"), summary.get("sgd").toString());
    assertEquals("1", summary.get("adamw").get("diverged"));
    assertEquals("", summary.get("adamw").get("best_config"), "a diverged configuration cannot be best");
    assertTrue(md.contains("| adamw | none: every configuration has a diverged seed |"), md);
    // The sensitivity data: the diverged configurations are marked, not given a loss.
    for (Map<String, String> c : csv(report.resolve("configs.csv"))) {
      boolean div = Double.parseDouble(c.get("base_lr")) >= 1e9;
      assertEquals(div ? "1" : "0", c.get("diverged"), c.toString());
      assertEquals(div, c.get("final_train_loss").isEmpty(), c.toString());
      assertEquals(div ? "false" : "true", c.get("best"), c.toString());
    }
    Map<String, Map<String, String>> runs = byKey(csv(report.resolve("runs.csv")), "base_lr");
    assertEquals("diverged", runs.get("1.0E9").get("status"));
    assertEquals(4, md.lines().filter(l -> l.startsWith("|") && l.contains("**diverged**")).count(), md); // 2 configs + 2 runs
    // Diverged runs never reach the target: ratio +infinity (empty) in the profiles.
    for (Map<String, String> p : csv(report.resolve("profile.csv"))) {
      if (p.get("optimizer").equals("adamw")) assertEquals("", p.get("ratio"));
    }

    // An output where every run diverged still gets a report: counts, crosses, no curves.
    Path allDiverged = tmp.resolve("all-diverged");
    List<String> ids = spark.read().parquet(dir.resolve("runs").toString()).where("status = 'diverged'")
        .select("run_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    for (String t : List.of("metrics", "runs")) {
      spark.read().parquet(dir.resolve(t).toString()).where(org.apache.spark.sql.functions.col("run_id")
          .isin(ids.toArray())).coalesce(1).write().parquet(allDiverged.resolve(t).toString());
    }
    r = cli("report", allDiverged.toString());
    assertEquals(0, r.code(), r.err());
    String allMd = Files.readString(allDiverged.resolve("report/index.md"));
    assertTrue(allMd.contains("not drawn (no optimizer has a best configuration)"), allMd);
    assertTrue(allMd.contains("| sgd | none: every configuration has a diverged seed |"), allMd);
    assertTrue(figureLinks(allMd).contains("sensitivity.png"), allMd);
    for (String f : figureLinks(allMd)) assertTrue(Files.size(allDiverged.resolve("report").resolve(f)) > 5_000, f);
  }

  @Test
  void seedsAreAggregatedAndPartialOutputsStillGetAReport(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    String opts = "{\"type\": \"sgd\", \"lr\": 0.1}, {\"type\": \"adam\", \"lr\": 0.05}";
    Path a = runJob(tmp, out, "seed1", 1, opts, "--no-report");
    Path b = runJob(tmp, out, "seed2", 2, opts, "--no-report");
    // One output with two seeds per configuration, as a sweep over seeds writes it.
    Path both = tmp.resolve("both");
    for (String t : List.of("metrics", "runs")) {
      spark.read().parquet(a.resolve(t).toString()).unionByName(spark.read().parquet(b.resolve(t).toString()))
          .coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(both.resolve(t).toString());
    }
    Cli.Result r = cli("report", both.toString());
    assertEquals(0, r.code(), r.err());
    Path report = both.resolve("report");
    spark.read().parquet(both.resolve("runs").toString()).createOrReplaceTempView("both_runs");
    Map<String, Map<String, String>> summary = byKey(csv(report.resolve("summary.csv")), "optimizer");
    for (Row e : spark.sql("SELECT optimizer, percentile(final_train_loss, 0.5), percentile(best_train_loss, 0.5), "
        + "count(*) FROM both_runs GROUP BY optimizer").collectAsList()) {
      Map<String, String> s = summary.get(e.getString(0));
      assertEquals(e.getDouble(1), num(s.get("final_train_loss")), 1e-15);
      assertEquals(e.getDouble(2), num(s.get("best_train_loss")), 1e-15);
      assertEquals("2", s.get("seeds"));
      assertEquals(e.getLong(3), Long.parseLong(s.get("runs")));
    }
    // Problems of the profile: one per seed; each has a fastest optimizer (ratio 1).
    List<Map<String, String>> profile = csv(report.resolve("profile.csv"));
    assertEquals(2 * 2 * 2, profile.size()); // steps/seconds x optimizers x seeds
    for (String seed : List.of("1", "2")) {
      assertTrue(profile.stream().anyMatch(p -> p.get("metric").equals("steps") && p.get("seed").equals(seed)
          && "1.0".equals(p.get("ratio"))), profile.toString());
    }
    String md = Files.readString(report.resolve("index.md"));
    assertTrue(md.contains("no manifest.json (partial output)"), md);
    for (String f : figureLinks(md)) assertRealPng(report.resolve(f));

    // Metrics only: no runs/, no manifest — still a report, runs shown as incomplete.
    Path partial = tmp.resolve("partial");
    spark.read().parquet(a.resolve("metrics").toString()).where("optimizer = 'sgd' OR step <= 20")
        .coalesce(1).write().parquet(partial.resolve("metrics").toString());
    r = cli("report", partial.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Map<String, String>> pruns = byKey(csv(partial.resolve("report/runs.csv")), "optimizer");
    assertEquals(JobAnalysis.INCOMPLETE, pruns.get("sgd").get("status"));
    assertEquals("20", pruns.get("adam").get("final_step"));

    // Several outputs: one profile over both jobs' problems, written where --to says.
    r = cli("report", a.toString(), b.toString(), "--to", tmp.resolve("cmp").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2 * 2 * 2, csv(tmp.resolve("cmp/profile.csv")).size());
    assertTrue(Files.exists(tmp.resolve("cmp/seed1-train_loss_step.png")));

    // Not a job output: exit 2 with one clear line.
    r = cli("report", tmp.resolve("nothing").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nothing: no such directory"), r.err());
    r = cli("report", a.toString(), b.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--to"), r.err());
  }
}
