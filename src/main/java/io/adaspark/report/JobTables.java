package io.adaspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One job output as the report reads it: {@code metrics/} (required), {@code runs/} and
 * {@code manifest.json} (optional, so a partial output still gets a report). Columns added by
 * later versions ({@code suboptimality}, {@code test_auc}, ...) are used only when present.
 */
public final class JobTables {
  final Path dir;
  final String name;
  final Dataset<Row> metrics;
  final Dataset<Row> runs;
  final JsonNode manifest;

  private JobTables(Path dir, String name, Dataset<Row> metrics, Dataset<Row> runs, JsonNode manifest) {
    this.dir = dir;
    this.name = name;
    this.metrics = metrics;
    this.runs = runs;
    this.manifest = manifest;
  }

  public static JobTables read(SparkSession spark, String directory) throws IOException {
    Path given = new Path(directory);
    FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path dir = fs.makeQualified(given);
    if (!fs.exists(dir)) throw new ReportInputException(directory + ": no such directory");
    if (!fs.getFileStatus(dir).isDirectory()) throw new ReportInputException(directory + ": not a directory");
    Path metricsDir = new Path(dir, "metrics");
    if (!hasParquet(fs, metricsDir)) {
      throw new ReportInputException(directory + ": no metrics/ Parquet table (not a job output of `run`?)");
    }
    Dataset<Row> metrics = spark.read().parquet(metricsDir.toString());
    for (String c : List.of("run_id", "optimizer", "config", "base_lr", "seed", "step", "train_loss", "wall_ms")) {
      if (!Arrays.asList(metrics.columns()).contains(c)) {
        throw new ReportInputException(metricsDir + ": no column " + c);
      }
    }
    Path runsDir = new Path(dir, "runs");
    Dataset<Row> runs = hasParquet(fs, runsDir) ? spark.read().parquet(runsDir.toString()) : null;
    JsonNode manifest = null;
    Path manifestPath = new Path(dir, "manifest.json");
    if (fs.exists(manifestPath)) {
      try (InputStream in = fs.open(manifestPath)) {
        manifest = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        manifest = null; // a damaged manifest only loses the job's name, f* and target
      }
    }
    String name = manifest != null && manifest.path("job").path("name").isTextual()
        ? manifest.path("job").path("name").asText() : dir.getName();
    return new JobTables(dir, name, metrics, runs, manifest);
  }

  private static boolean hasParquet(FileSystem fs, Path p) throws IOException {
    if (!fs.exists(p) || !fs.getFileStatus(p).isDirectory()) return false;
    return Arrays.stream(fs.listStatus(p)).anyMatch(s -> s.getPath().getName().endsWith(".parquet"));
  }

  /** The distinct (optimizer type, config) pairs of metrics/ and runs/. */
  List<String[]> typesAndConfigs() {
    Dataset<Row> pairs = metrics.select("optimizer", "config");
    if (runs != null) pairs = pairs.union(runs.select("optimizer", "config"));
    List<String[]> out = new java.util.ArrayList<>();
    for (Row r : pairs.distinct().collectAsList()) {
      out.add(new String[] {r.getAs("optimizer"), r.getAs("config")});
    }
    return out;
  }

  boolean metricsHas(String column) {
    return Arrays.asList(metrics.columns()).contains(column);
  }

  boolean runsHas(String column) {
    return runs != null && Arrays.asList(runs.columns()).contains(column);
  }

  /** f* from {@code manifest.json} ({@code optimum.f_star}), or null. */
  Double fStar() {
    if (manifest == null) return null;
    JsonNode f = manifest.path("optimum").path("f_star");
    return f.isNumber() && Double.isFinite(f.asDouble()) ? f.asDouble() : null;
  }

  /**
   * {@code report.select_by} of the job file ({@code train_loss}, {@code validation_loss} or
   * {@code validation_accuracy}); {@code train_loss} when absent, or when the output has no
   * validation column (an older output).
   */
  String selectBy() {
    if (manifest == null) return "train_loss";
    JsonNode s = manifest.path("job").path("report").path("select_by");
    if (!s.isTextual() || !io.adaspark.config.ReportSpec.SELECT_BY.contains(s.asText())) return "train_loss";
    if (s.asText().startsWith("validation") && !metricsHas("validation_loss")) return "train_loss";
    return s.asText();
  }

  /** {@code training.target_loss} of the job file, or null. */
  Double targetLoss() {
    if (manifest == null) return null;
    JsonNode t = manifest.path("job").path("training").path("target_loss");
    return t.isNumber() && Double.isFinite(t.asDouble()) ? t.asDouble() : null;
  }
}
