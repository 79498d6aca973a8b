package io.adaspark.metrics;

import io.adaspark.config.Canonical;
import io.adaspark.train.MetricRow;
import io.adaspark.train.RunResult;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * The rows of a sweep on disk while it runs, one part per committed cohort, and the final tables
 * built from the parts by Spark — so that the driver never holds more than one cohort's metric
 * rows (the cohort being committed) however many runs and steps the sweep has.
 *
 * <p>A part is a directory with two Parquet files: {@code metrics.parquet} (the cohort's
 * {@link MetricsTables#METRICS} rows, by run id then step) and {@code runs.parquet} (its
 * {@link MetricsTables#RUNS} rows). The driver streams them with parquet-hadoop's writer (row
 * groups of at most {@link #ROW_GROUP_BYTES}), no Spark job and no copy of the rows as Spark
 * {@code Row}s; the directory is written beside its name and renamed into place.
 *
 * <p>{@link #writeTables} then reads the parts with Spark and writes {@code metrics/} and
 * {@code runs/} exactly as {@link MetricsTables#write} writes them from memory: sorted by run id
 * (then step), cut into ⌈n / rows per file⌉ files at the same row positions (file i holds rows
 * [⌊i·n/F⌋, ⌊(i+1)·n/F⌋), as {@code parallelize}'s slices), files numbered in that order. A row's
 * position is computed, not sampled: the offset of its run among the sorted run ids (from the
 * per-run row counts the driver keeps) plus its step, since a run's rows are its steps 0, 1, 2, …
 * one each. The rows are shuffled to their file on the executors (Spark SQL's own shuffle and
 * sort, binary rows; {@link #fileKeys} makes the hash partitioning exact) and sorted there by
 * position; the output is the same whatever the executors, the parts or their order.
 */
public final class CohortParts {
  private CohortParts() {}

  public static final String METRICS_FILE = "metrics.parquet";
  public static final String RUNS_FILE = "runs.parquet";

  /** Row-group size of a part: what the parquet writer buffers on the driver before flushing. */
  static final int ROW_GROUP_BYTES = 8 << 20;

  /** Where a run's rows are: its id, its metric row count (steps 0..rows−1) and its part directory. */
  public record Source(String runId, long rows, String dir) implements Serializable {}

  /**
   * Writes the part of a finished cohort into {@code dir} (replacing a stale one): the metric rows
   * of every run, by run id then step, and one {@code runs/} row per run. A run's rows must be its
   * steps 0, 1, 2, … in order (what {@code Trainer} records); anything else is a bug and fails.
   */
  public static void writeCohort(FileSystem fs, Path dir, String job, List<RunResult> runs) throws IOException {
    writeCohort(fs, dir, job, runs, Map.of());
  }

  /** As {@link #writeCohort(FileSystem, Path, String, List)}, with each run's {@link RunIdentity} by run id. */
  public static void writeCohort(FileSystem fs, Path dir, String job, List<RunResult> runs,
                                 Map<String, RunIdentity> identities) throws IOException {
    List<RunResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(RunResult::runId));
    Path tmp = new Path(dir.getParent(), "." + dir.getName() + ".tmp");
    if (fs.exists(tmp)) fs.delete(tmp, true);
    fs.mkdirs(tmp);
    try (RowWriter w = new RowWriter(fs, new Path(tmp, METRICS_FILE), MetricsTables.METRICS)) {
      for (RunResult r : sorted) {
        String config = Canonical.toJson(Canonical.runConfig(r.spec()));
        String type = r.spec().optimizer().typeName();
        double baseLr = r.spec().optimizer().lr();
        RunIdentity id = identities.get(r.runId());
        long i = 0;
        for (MetricRow m : r.rows()) {
          if (m.step() != i) {
            throw new IllegalStateException("run " + r.runId() + ": metric row " + i + " is step " + m.step()
                + ", expected the steps 0, 1, 2, ... in order");
          }
          w.write(MetricsTables.metricRow(r, type, config, baseLr, m, id));
          i++;
        }
      }
    }
    try (RowWriter w = new RowWriter(fs, new Path(tmp, RUNS_FILE), MetricsTables.RUNS)) {
      for (Row row : MetricsTables.runRows(job, sorted, identities)) w.write(row);
    }
    if (fs.exists(dir)) fs.delete(dir, true);
    if (!fs.rename(tmp, dir)) throw new IOException("cannot rename " + tmp + " to " + dir);
  }

  /** Writes {@code metrics/} and {@code runs/} into the job's temporary output from the parts of {@code runs}. */
  public static void writeTables(SparkSession spark, List<Source> runs, JobOutput out) {
    writeTables(spark, runs, out, MetricsTables.ROWS_PER_FILE);
  }

  static void writeTables(SparkSession spark, List<Source> runs, JobOutput out, int rowsPerFile) {
    writeTable(spark, runs, METRICS_FILE, MetricsTables.METRICS, Source::rows, true, out.tmp("metrics"), rowsPerFile);
    writeTable(spark, runs, RUNS_FILE, MetricsTables.RUNS, s -> 1L, false, out.tmp("runs"), rowsPerFile);
  }

  private static void writeTable(SparkSession spark, List<Source> runs, String file, StructType schema,
                                 ToLongFunction<Source> rowsOf, boolean byStep, String path, int rowsPerFile) {
    List<Source> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(Source::runId));
    List<Row> offsets = new ArrayList<>();
    Map<String, List<String>> byDir = new LinkedHashMap<>();
    long n = 0;
    String previous = null;
    for (Source s : sorted) {
      if (s.runId().equals(previous)) throw new IllegalArgumentException("run " + s.runId() + " twice");
      previous = s.runId();
      offsets.add(RowFactory.create(s.runId(), n));
      n += rowsOf.applyAsLong(s);
      byDir.computeIfAbsent(s.dir(), d -> new ArrayList<>()).add(s.runId());
    }
    int files = (int) Math.max(1, (n + rowsPerFile - 1) / rowsPerFile);
    Dataset<Row> all = null;
    for (Map.Entry<String, List<String>> e : byDir.entrySet()) {
      // Only the runs this part is the source of (a run committed twice, e.g. by a previous
      // complete sweep and again in the work directory, is read once).
      Dataset<Row> part = spark.read().schema(schema).parquet(new Path(e.getKey(), file).toString())
          .where(functions.col("run_id").isin(e.getValue().toArray()));
      all = all == null ? part : all.union(part);
    }
    StructType offsetSchema = new StructType().add("run_id", DataTypes.StringType, false)
        .add("_offset", DataTypes.LongType, false);
    Dataset<Row> offsetTable = spark.createDataFrame(offsets, offsetSchema);
    Column[] columns = new Column[schema.size()];
    for (int i = 0; i < columns.length; i++) columns[i] = functions.col(schema.fields()[i].name());
    // A row's position p, its file — parallelize's slice: file i holds [⌊i·n/F⌋, ⌊(i+1)·n/F⌋), so
    // p is in the largest i with ⌊i·n/F⌋ ≤ p, i = ⌊((p + 1)·F − 1) / n⌋ — and a shuffle key that
    // Spark's hash partitioning sends to partition i exactly; sorted by position within each file.
    all.join(functions.broadcast(offsetTable), "run_id")
        .withColumn("_pos", byStep ? functions.col("_offset").plus(functions.col("step")) : functions.col("_offset"))
        .withColumn("_file", functions.expr("CAST(((_pos + 1) * " + files + " - 1) div " + n + " AS INT)"))
        .withColumn("_key", functions.element_at(functions.array(fileKeys(files)), functions.col("_file").plus(1)))
        .repartition(files, functions.col("_key"))
        .sortWithinPartitions("_pos")
        .select(columns)
        .write().mode(SaveMode.ErrorIfExists).parquet(path);
  }

  /**
   * For each file i of {@code files}, an int that Spark's hash partitioning into {@code files}
   * partitions ({@code pmod(murmur3(key, 42), files)}, {@code HashPartitioning}) sends to
   * partition i: the smallest non-negative one. So {@code repartition(files, key)} puts each
   * file's rows, and only them, in the task that writes part i.
   */
  static Column[] fileKeys(int files) {
    Column[] keys = new Column[files];
    int found = 0;
    for (int v = 0; found < files; v++) {
      int i = Math.floorMod(Murmur3_x86_32.hashInt(v, 42), files);
      if (keys[i] == null) {
        keys[i] = functions.lit(v);
        found++;
      }
    }
    return keys;
  }

  /** Streams Spark rows of a flat schema (strings, longs, doubles) into one Parquet file. */
  private static final class RowWriter implements AutoCloseable {
    private final ParquetWriter<Group> writer;
    private final SimpleGroupFactory groups;
    private final DataType[] types;

    RowWriter(FileSystem fs, Path file, StructType schema) throws IOException {
      MessageType type = parquetSchema(schema);
      this.groups = new SimpleGroupFactory(type);
      this.types = new DataType[schema.size()];
      for (int i = 0; i < types.length; i++) types[i] = schema.fields()[i].dataType();
      this.writer = ExampleParquetWriter.builder(file).withConf(fs.getConf()).withType(type)
          .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(ROW_GROUP_BYTES)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
    }

    void write(Row row) throws IOException {
      Group g = groups.newGroup();
      for (int i = 0; i < types.length; i++) {
        if (row.isNullAt(i)) continue;
        if (types[i] == DataTypes.StringType) {
          g.add(i, row.getString(i));
        } else if (types[i] == DataTypes.LongType) {
          g.add(i, row.getLong(i));
        } else {
          g.add(i, row.getDouble(i));
        }
      }
      writer.write(g);
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (StructField f : schema.fields()) {
      Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      DataType t = f.dataType();
      if (t == DataTypes.StringType) {
        b.addField(Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(f.name()));
      } else if (t == DataTypes.LongType) {
        b.addField(Types.primitive(PrimitiveTypeName.INT64, rep).named(f.name()));
      } else if (t == DataTypes.DoubleType) {
        b.addField(Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name()));
      } else {
        throw new IllegalArgumentException("column " + f.name() + ": " + t + " is not a string, long or double");
      }
    }
    return b.named("spark_schema");
  }
}
