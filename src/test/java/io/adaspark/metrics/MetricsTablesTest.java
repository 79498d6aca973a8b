package io.adaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.train.RunSpec;
import io.adaspark.optim.Adam;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables split into bounded files keep every row, in order. */
class MetricsTablesTest {
  private final SparkSession spark = TestSpark.session();

  static List<RunResult> runs(int count, int steps) {
    List<RunResult> runs = new ArrayList<>();
    for (int r = count - 1; r >= 0; r--) { // out of id order on purpose: the tables sort by run id
      List<MetricRow> rows = new ArrayList<>();
      for (int k = 0; k <= steps; k++) {
        Double eval = k % 3 == 0 ? 1.0 / (k + 1 + r) : null;
        rows.add(new MetricRow(k, k / 10.0, 16L * k, k == 0 ? null : 0.01, k == 0 ? null : 0.5 / (k + r),
            eval, eval, eval, null, eval, null, 1.5 * k, 1.0, 0.5));
      }
      Adam.Config c = Adam.Config.fromJson(1e-3 * (r + 1), null, null, null, null, null, null, null);
      runs.add(new RunResult(String.format("run-%02d", r), new RunSpec(c, null, null), 7L, "finished", steps,
          "", rows, 1.5 * steps));
    }
    return runs;
  }

  /** The rows of every Parquet file of a table, files in name order, rows in file order. */
  List<Row> readInFileOrder(Path dir) throws IOException {
    List<Row> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        List<Row> part = spark.read().parquet(f.toString()).collectAsList();
        assertTrue(part.size() <= 5, f + " has " + part.size() + " rows");
        all.addAll(part);
      }
    }
    return all;
  }

  @Test
  void bigTablesAreSplitIntoBoundedFilesThatKeepTheRowOrder(@TempDir Path tmp) throws IOException {
    List<RunResult> runs = runs(4, 5); // 24 metric rows, 4 run rows
    JobOutput out = new JobOutput(spark.sparkContext().hadoopConfiguration(), tmp.toString(), "t");
    MetricsTables.write(spark, "t", runs, out, 5);
    out.commit();
    Path dir = tmp.resolve("t");
    List<Row> expected = MetricsTables.metricRows(runs);
    assertEquals(24, expected.size());
    try (Stream<Path> files = Files.list(dir.resolve("metrics"))) {
      assertEquals(5, files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
    }
    List<Row> metrics = readInFileOrder(dir.resolve("metrics"));
    assertEquals(expected, metrics);
    assertEquals("run-00", metrics.get(0).getString(0));
    assertEquals(0L, metrics.get(0).getLong(5));
    assertEquals("run-03", metrics.get(23).getString(0));
    assertEquals(5L, metrics.get(23).getLong(5));
    // The directory reads as one table with every row, as pandas, DuckDB and Spark read it.
    assertEquals(24, spark.read().parquet(dir.resolve("metrics").toString()).count());
    assertEquals(MetricsTables.runRows("t", runs), readInFileOrder(dir.resolve("runs")));
  }
}
