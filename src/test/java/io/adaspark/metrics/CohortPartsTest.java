package io.adaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.train.RunSpec;
import io.adaspark.optim.Sgd;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-cohort Parquet parts, and the final tables built from them by Spark, file for file and row
 * for row what {@link MetricsTables#write} writes from memory (wall-clock columns included: the
 * same RunResults go both ways).
 */
class CohortPartsTest {
  private final SparkSession spark = TestSpark.session();

  /** The rows of every Parquet file of a table: one list per file, files in name order. */
  List<List<Row>> files(Path dir) throws IOException {
    List<List<Row>> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        all.add(spark.read().parquet(f.toString()).collectAsList());
      }
    }
    return all;
  }

  /** A run that stopped early (diverged) after {@code last} steps: rows 0..last, no evaluation after 0. */
  static RunResult shortRun(String id, int last) {
    List<MetricRow> rows = new ArrayList<>();
    for (int k = 0; k <= last; k++) {
      rows.add(new MetricRow(k, k / 4.0, 8L * k, k == 0 ? null : 0.3, k == 0 ? null : 2.0 + k,
          k == 0 ? 0.69 : null, k == 0 ? 0.7 : null, k == 0 ? 0.5 : null, k == 0 ? 0.5 : null,
          k == 0 ? 0.1 : null, null, 0.25 * k, 0.2, 0.05));
    }
    Sgd.Config c = Sgd.Config.fromJson(0.3, null, null, null, null);
    return new RunResult(id, new RunSpec(c, null, null), 9L, "diverged", last - 1, "non-finite loss at step " + last,
        rows, 0.25 * last, null, null);
  }

  @Test
  void tablesBuiltFromThePartsEqualTheInMemoryTablesFileForFile(@TempDir Path tmp) throws IOException {
    List<RunResult> runs = new ArrayList<>(MetricsTablesTest.runs(5, 5)); // run-04 .. run-00, 6 rows each
    runs.add(shortRun("run-02a", 1)); // 2 rows, sorts between run-02 and run-03
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path parts = new org.apache.hadoop.fs.Path(tmp.resolve("parts").toUri());
    // Three cohorts, not in run-id order, one of them holding the short run.
    List<List<RunResult>> cohorts = List.of(List.of(runs.get(0), runs.get(3)), List.of(runs.get(5), runs.get(1)),
        List.of(runs.get(4), runs.get(2)));
    List<CohortParts.Source> sources = new ArrayList<>();
    for (int c = 0; c < cohorts.size(); c++) {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(parts, "c" + c + ".rows");
      CohortParts.writeCohort(fs, dir, "t", cohorts.get(c));
      for (RunResult r : cohorts.get(c)) sources.add(new CohortParts.Source(r.runId(), r.rows().size(), dir.toString()));
    }
    // A stale part holding run-01 again, with other values: not a source of any run, never read.
    RunResult other = MetricsTablesTest.runs(2, 3).get(0);
    assertEquals("run-01", other.runId());
    org.apache.hadoop.fs.Path stale = new org.apache.hadoop.fs.Path(parts, "stale.rows");
    CohortParts.writeCohort(fs, stale, "t", List.of(other, runs.get(4)));
    // ... and one that is the source of run-00 only, while it also holds run-01.
    org.apache.hadoop.fs.Path twice = new org.apache.hadoop.fs.Path(parts, "twice.rows");
    CohortParts.writeCohort(fs, twice, "t", List.of(runs.get(4), other));
    sources.removeIf(s -> s.runId().equals("run-00"));
    sources.add(new CohortParts.Source("run-00", 6, twice.toString()));
    assertTrue(Files.exists(tmp.resolve("parts/c1.rows/metrics.parquet")));
    assertTrue(Files.exists(tmp.resolve("parts/c1.rows/runs.parquet")));

    JobOutput fromParts = new JobOutput(spark.sparkContext().hadoopConfiguration(), tmp.toString(), "p");
    CohortParts.writeTables(spark, sources, fromParts, 5);
    fromParts.commit();
    JobOutput inMemory = new JobOutput(spark.sparkContext().hadoopConfiguration(), tmp.toString(), "m");
    MetricsTables.write(spark, "t", runs, inMemory, 5);
    inMemory.commit();

    List<List<Row>> expected = files(tmp.resolve("m/metrics"));
    List<List<Row>> actual = files(tmp.resolve("p/metrics"));
    // 32 rows in 7 files of parallelize's slices: [⌊32i/7⌋, ⌊32(i+1)/7⌋) = 4, 5, 4, 5, 4, 5, 5 rows.
    assertEquals(List.of(4, 5, 4, 5, 4, 5, 5), expected.stream().map(List::size).toList());
    assertEquals(expected, actual);
    assertEquals(MetricsTables.metricRows(runs), actual.stream().flatMap(List::stream).toList());
    // Sorted: run-00 at 0..5, run-01 6..11, run-02 12..17, run-02a 18..19: file 4 starts with it.
    assertEquals("run-02a", actual.get(4).get(0).getString(0));
    assertEquals(0L, actual.get(4).get(0).getLong(5));
    List<List<Row>> runRows = files(tmp.resolve("p/runs"));
    assertEquals(List.of(3, 3), runRows.stream().map(List::size).toList()); // 6 runs, 5 a file: 2 files
    assertEquals(files(tmp.resolve("m/runs")), runRows);
    assertEquals(MetricsTables.runRows("t", runs), runRows.stream().flatMap(List::stream).toList());
    assertEquals(spark.read().parquet(tmp.resolve("m/metrics").toString()).schema(),
        spark.read().parquet(tmp.resolve("p/metrics").toString()).schema());
  }

  @Test
  void aPartRefusesRowsThatAreNotTheSteps0To(@TempDir Path tmp) {
    RunResult r = shortRun("gap", 3);
    List<MetricRow> rows = new ArrayList<>(r.rows());
    rows.remove(2);
    RunResult gap = new RunResult("gap", r.spec(), 9L, "finished", 3, "", rows, 1.0);
    FileSystem fs = assertDoesNotThrowFs();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CohortParts.writeCohort(fs,
        new org.apache.hadoop.fs.Path(tmp.resolve("gap.rows").toUri()), "t", List.of(gap)));
    assertEquals("run gap: metric row 2 is step 3, expected the steps 0, 1, 2, ... in order", e.getMessage());
  }

  private FileSystem assertDoesNotThrowFs() {
    try {
      return FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
