package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet errors found without a scan pass — from the footers, or from the measures taken
 * after the shuffle — still name the file (and the record).
 */
class ParquetErrorsTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String error(Path dir) {
    return assertThrows(DataException.class, () -> DatasetLoader.load(spark,
        ParquetSpec.of(dir.toString(), null, null, null, null, 0.0, null, null, null), 2)).getMessage();
  }

  /** Writes rows as one Parquet file named {@code name} in {@code dir}. */
  static Path write(Path dir, String name, StructType schema, List<Row> rows) throws IOException {
    Path tmp = dir.resolveSibling(dir.getFileName() + "-" + name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(tmp.toString());
    Files.createDirectories(dir);
    Path out = dir.resolve(name);
    try (var files = Files.list(tmp)) {
      Files.move(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), out);
    }
    return out;
  }

  @Test
  void labelBesideMinusOneNamesItsFirstRecord(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("label", DataTypes.IntegerType).add("a", DataTypes.DoubleType);
    Path dir = tmp.resolve("in");
    write(dir, "a.parquet", schema, List.of(RowFactory.create(1, 1.0), RowFactory.create(-1, 2.0)));
    Path b = write(dir, "b.parquet", schema, List.of(RowFactory.create(1, 1.0), RowFactory.create(-1, 2.0),
        RowFactory.create(0, 3.0), RowFactory.create(0, 4.0)));
    assertEquals(b + ": record 3: label 0 in a file with label -1: expected -1/+1 for binary, or 0..K-1", error(dir));
  }

  @Test
  void filesWithDifferentFeatureCountsAreNamed(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
    Path dir = tmp.resolve("in");
    write(dir, "a.parquet", schema, List.of(RowFactory.create(1.0, new double[] {1, 2})));
    Path b = write(dir, "b.parquet", schema, List.of(RowFactory.create(0.0, new double[] {1, 2, 3})));
    assertEquals(b + ": rows have 3 features, other files 2", error(dir));
  }

  @Test
  void aCorruptFileIsNamed(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    Path dir = tmp.resolve("in");
    write(dir, "a.parquet", schema, List.of(RowFactory.create(1.0, 1.0)));
    Path b = dir.resolve("b.parquet");
    Files.writeString(b, "this is not a Parquet file, it only has its name");
    assertEquals(b + ": not a Parquet file (it does not start with \"PAR1\": starts with \"this\")", error(dir));
  }

  /** PAR1, 16 bytes of "data", then {@code footer} as the footer, its length {@code length}, PAR1. */
  static byte[] parquetShaped(byte[] footer, int length) {
    ByteBuffer b = ByteBuffer.allocate(4 + 16 + footer.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put("PAR1".getBytes(StandardCharsets.US_ASCII)).put(new byte[16]).put(footer).putInt(length)
        .put("PAR1".getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  @Test
  void aFooterLengthOutOfRangeIsACorruptFooter(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("in");
    Files.createDirectories(dir);
    Path a = dir.resolve("a.parquet");
    Files.write(a, parquetShaped(new byte[0], 1_000_000));
    // 28 bytes: 4 + 16 + 4 + 4, so the footer can hold at most the 16 bytes between the magic numbers.
    assertEquals(a + ": corrupt Parquet footer (footer length 1000000 is out of range: the file has 28 bytes, "
        + "room for at most 16)", error(dir));
    Files.write(a, parquetShaped(new byte[0], -5));
    assertEquals(a + ": corrupt Parquet footer (footer length -5 is out of range: the file has 28 bytes, "
        + "room for at most 16)", error(dir));
  }

  @Test
  void aGarbageFooterIsACorruptFooter(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    Path dir = tmp.resolve("in");
    write(dir, "a.parquet", schema, List.of(RowFactory.create(1.0, 1.0)));
    Path b = dir.resolve("b.parquet");
    byte[] garbage = "\u00ff\u00fe not Thrift metadata".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(b, parquetShaped(garbage, garbage.length));
    String msg = error(dir);
    assertTrue(msg.startsWith(b + ": corrupt Parquet footer (its 22 bytes do not decode as Parquet metadata: "), msg);
    assertFalse(msg.contains("\n"), msg);
  }

  @Test
  void aFileCutShortIsNotParquet(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    Path dir = tmp.resolve("in");
    Path a = write(dir, "a.parquet", schema, List.of(RowFactory.create(1.0, 1.0), RowFactory.create(0.0, 2.0)));
    byte[] whole = Files.readAllBytes(a);
    Files.write(a, Arrays.copyOf(whole, whole.length - 3)); // the last 3 bytes of the magic number gone
    String end = new String(whole, whole.length - 7, 4, StandardCharsets.ISO_8859_1);
    assertEquals("PAR1", new String(whole, whole.length - 4, 4, StandardCharsets.US_ASCII));
    assertEquals(a + ": not a Parquet file (it does not end with \"PAR1\": ends with "
        + (end.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "\"" + end + "\"" : hex(whole, whole.length - 7))
        + "; cut short, or still being written?)", error(dir));
    Files.write(a, Arrays.copyOf(whole, 11));
    assertEquals(a + ": not a Parquet file (11 bytes; the smallest is 12: \"PAR1\", footer length, \"PAR1\")",
        error(dir));
  }

  private static String hex(byte[] b, int from) {
    StringBuilder sb = new StringBuilder("0x");
    for (int i = from; i < from + 4; i++) sb.append(String.format("%02x", b[i] & 0xff));
    return sb.toString();
  }
}
