package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad}): each file is rejected before training
 * with a message naming the file and line (or record) and what is wrong.
 */
class BadInputTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static Path bad(String name) {
    return TestSpark.basedir().resolve("src/test/resources/bad").resolve(name);
  }

  /** The loader's error; a failed load leaves nothing cached (its chunks and blocks are dropped). */
  static String error(DataSpec spec) {
    java.util.Set<Object> before = persisted(spark);
    DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(spark, spec, 2));
    assertEquals(before, persisted(spark), "RDDs still cached after a failed load");
    return e.getMessage();
  }

  /** The ids of the RDDs cached in this session. */
  static java.util.Set<Object> persisted(SparkSession spark) {
    return new java.util.TreeSet<>(scala.jdk.javaapi.CollectionConverters.asJava(
        spark.sparkContext().getPersistentRDDs().keySet()));
  }

  static DataSpec libsvm(Path p, Integer d) {
    return LibsvmSpec.of(p.toString(), d, null, null, null, null);
  }

  static DataSpec csv(Path p) {
    return CsvSpec.of(p.toString(), null, null, null, null, null, null);
  }

  /** file, line, what: the message is exactly "<path>:<line>: <what>". */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nan_value.libsvm|2|value of index 2 NaN is not a finite number",
      "inf_value.libsvm|2|value of index 2 inf is not a finite number",
      "nan_label.libsvm|2|label NaN is not a finite number",
      "label_non_numeric.libsvm|3|label \"abc\" is not a number",
      "label_fraction.libsvm|3|label 2.5 out of range: expected a class index 0..K-1, or -1/+1 for binary",
      "label_minus_one_mixed.libsvm|1|label 0 in a file with label -1: expected -1/+1 for binary, or 0..K-1",
      "index_zero.libsvm|2|index 0: LIBSVM indices start at 1",
      "index_negative.libsvm|2|negative index -3",
      "index_repeated.libsvm|2|index 3 repeated",
      "index_decreasing.libsvm|2|index 2 after 3: indices must increase",
      "index_above.libsvm|2|index 4 above num_features = 3",
      "missing_colon.libsvm|2|\"2\" is not index:value (missing ':')",
      "value_non_numeric.libsvm|2|value of index 2 \"x\" is not a number",
  })
  void libsvmLine(String file, int line, String what) {
    Path p = bad("libsvm/" + file);
    assertEquals(p + ":" + line + ": " + what, error(libsvm(p, 3)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ragged.csv|3|2 cells, expected 3 (as in the header)",
      "empty_cell.csv|3|empty cell in column \"a\"",
      "non_numeric.csv|3|cell in column \"a\": \"x\" is not a number",
      "nan.csv|3|cell in column \"a\": NaN is not a finite number",
      "label_non_numeric.csv|3|label \"yes\" is not a number (for string labels set \"label_type\": \"string\")",
      "no_label_column.csv|1|header has no label column \"label\" (columns: y, a, b; set data.label_column)",
  })
  void csvLine(String file, int line, String what) {
    Path p = bad("csv/" + file);
    assertEquals(p + ":" + line + ": " + what, error(csv(p)));
  }

  @Test
  void emptyInputs() {
    assertEquals(bad("libsvm/empty.libsvm") + ": no rows (empty input)", error(libsvm(bad("libsvm/empty.libsvm"), null)));
    assertEquals(bad("libsvm/only_comments.libsvm") + ": no rows (empty input)",
        error(libsvm(bad("libsvm/only_comments.libsvm"), null)));
    assertEquals(bad("csv/header_only.csv") + ": no rows (empty input)", error(csv(bad("csv/header_only.csv"))));
  }

  @Test
  void missingPath() {
    assertEquals(bad("nope.libsvm") + ": no such file or directory", error(libsvm(bad("nope.libsvm"), null)));
  }

  @Test
  void truncatedAndCorruptCompressedFiles() {
    for (String f : List.of("truncated.libsvm.gz", "not_gzip.libsvm.gz")) {
      String msg = error(libsvm(bad(f), null));
      assertTrue(msg.startsWith(bad(f) + ": cannot read ("), msg);
      assertTrue(msg.endsWith("unreadable, or a corrupt or truncated compressed file"), msg);
    }
  }

  @Test
  void lineNumberInsideACompressedFile() {
    assertEquals(bad("bad_line.libsvm.gz") + ":1500: value of index 2 \"oops\" is not a number",
        error(libsvm(bad("bad_line.libsvm.gz"), null)));
  }

  @Test
  void badFileInADirectoryIsNamed(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("a.libsvm"), "1 1:1\n0 2:1\n");
    Files.writeString(tmp.resolve("b.libsvm"), "1 1:1\n\n# c\n0 2:x\n");
    assertEquals(tmp.resolve("b.libsvm") + ":4: value of index 2 \"x\" is not a number",
        error(libsvm(tmp, null)));
  }

  @Test
  void csvHeadersMustAgree(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("a.csv"), "label,a,b\n1,1,2\n");
    Files.writeString(tmp.resolve("b.csv"), "label,b,a\n1,1,2\n");
    assertEquals(tmp.resolve("b.csv") + ":1: header differs from the header of " + tmp.resolve("a.csv"),
        error(csv(tmp)));
  }

  @Test
  void parquetNaNNamesTheRecord(@TempDir Path tmp) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1.0, 1.0, 2.0),
        RowFactory.create(0.0, 3.0, 4.0), RowFactory.create(1.0, Double.NaN, 4.0)), schema).coalesce(1);
    df.write().parquet(tmp.resolve("p").toString());
    String msg = error(ParquetSpec.of(tmp.resolve("p").toString(), null, null, null, null, null, null, null, null));
    assertTrue(msg.matches(".*/p/part-[^/]*\\.parquet: record 3: column \"a\": NaN is not a finite number"), msg);
  }

  @Test
  void parquetLabelOutOfRange(@TempDir Path tmp) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    spark.createDataFrame(List.of(RowFactory.create(1.0, 1.0), RowFactory.create(0.5, 3.0)), schema).coalesce(1)
        .write().parquet(tmp.resolve("p").toString());
    String msg = error(ParquetSpec.of(tmp.resolve("p").toString(), null, null, null, null, null, null, null, null));
    assertTrue(msg.endsWith(": record 2: label 0.5 out of range: expected a class index 0..K-1, or -1/+1 for binary"), msg);
  }

  /** Through the CLI: exit code 2, one line naming file:line, nothing in the output directory. */
  @Test
  void cliRejectsBadDataWithExitCode2AndWritesNothing(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    Path job = tmp.resolve("job.json");
    Files.writeString(job, """
        {"name": "bad", "data": {"type": "libsvm", "path": "%s"},
         "model": {"type": "logreg"}, "training": {"batch_size": 4, "steps": 3},
         "optimizers": [{"type": "sgd", "lr": 0.1}], "output": "%s"}
        """.formatted(bad("libsvm/index_repeated.libsvm"), out));
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true));
      code = Main.execute(new String[] {"run", job.toString()});
    } finally {
      System.setErr(oldErr);
    }
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(bad("libsvm/index_repeated.libsvm") + ":2: index 3 repeated"), err.toString());
    assertFalse(Files.exists(out) && Files.list(out).findAny().isPresent(), "nothing written to " + out);
  }
}
