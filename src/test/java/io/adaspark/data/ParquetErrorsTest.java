package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.ParquetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String msg = error(dir);
    assertTrue(msg.startsWith(b + ": cannot read as Parquet: "), msg);
  }
}
