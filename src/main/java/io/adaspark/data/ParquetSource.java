package io.adaspark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Parquet through Spark's reader: a label column and either one vector column (MLlib
 * {@code VectorUDT} or an array of numbers) or numeric columns. Row identity: the file's rank
 * among the files sorted by path, then Spark's {@code _metadata.row_index} (the row's index
 * within its file): the ordinal is the rows of the earlier files — read from the Parquet
 * footers, without a pass over the data — plus the row index.
 *
 * <p>There is no separate validating scan: the loader's single pass over the data (the map
 * side of its shuffle, {@link #chunks}) reads Spark's internal rows (no {@code Row} objects or
 * vectors; a vector column's values are copied in bulk from the internal row), validates each
 * row and packs
 * it into a {@link Chunk}; the measures a scan would give come from the shuffled chunks
 * ({@link ChunkStats}). Errors name the file and the 1-based record number within it.
 */
final class ParquetSource implements RowSource {
  private final Files.Listing listing;
  private final Configuration conf;
  private final Dataset<Row> df; // label, features..., file, row index
  private final Reader reader;
  /** Files in path order and the ordinal of each file's first row (from the footers). */
  private String[] files;
  private long[] fileBases;

  /** Label and feature column names as stored, when they can be read without casts; else null. */
  private final String[] stored;

  /** Row count of each file of the listing, in listing order (from the footers, read before Spark reads). */
  private final long[] counts;

  private ParquetSource(Files.Listing listing, Configuration conf, Dataset<Row> df, Reader reader, String[] stored,
                        long[] counts) {
    this.listing = listing;
    this.counts = counts;
    this.conf = conf;
    this.df = df;
    this.reader = reader;
    this.stored = stored;
  }

  static ParquetSource of(SparkSession spark, ParquetSpec spec) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Files.Listing l = Files.list(conf, spec.path());
    // Every footer first, on the driver: a file that is not Parquet, or whose footer is corrupt,
    // is named here in one line, before Spark's schema inference fails on it in a task.
    long[] counts = ParquetFooters.rowCounts(conf, l.files().toArray(new String[0]));
    Dataset<Row> raw;
    StructType schema;
    try {
      raw = spark.read().parquet(l.files().toArray(new String[0]));
      schema = raw.schema();
    } catch (Exception e) { // RuntimeException, or Spark's (checked) SparkException from schema inference
      throw new DataException(spec.path() + ": cannot read as Parquet: " + ParquetFooters.rootMessage(e), e);
    }
    List<String> names = Arrays.asList(schema.fieldNames());
    String label = spec.labelColumn();
    if (!names.contains(label)) {
      throw new DataException(spec.path() + ": no label column \"" + label + "\" (columns: "
          + String.join(", ", names) + "; set data.label_column)");
    }
    DataType lt = schema.apply(label).dataType();
    boolean stringLabels = spec.labelType().equals("string");
    if (stringLabels ? !(lt instanceof StringType) : !(lt instanceof NumericType)) {
      throw new DataException(spec.path() + ": label column \"" + label + "\" has type " + lt.simpleString()
          + ": expected " + (stringLabels ? "strings (label_type \"string\")"
          : "numbers (for string labels set \"label_type\": \"string\")"));
    }
    int labelKind = labelKind(lt);
    String vec = spec.featuresColumn();
    List<String> cols = spec.featureColumns();
    if (vec == null && cols == null) {
      List<String> others = names.stream().filter(n -> !n.equals(label)).toList();
      if (others.size() == 1 && isVector(schema.apply(others.get(0)).dataType())) vec = others.get(0);
      else cols = others;
    }
    List<Column> select = new ArrayList<>();
    select.add(functions.col(label).as("label"));
    String[] columns;
    int vectorKind = 0;
    if (vec != null) {
      if (!names.contains(vec)) throw new DataException(spec.path() + ": no features column \"" + vec + "\"");
      if (!isVector(schema.apply(vec).dataType())) {
        throw new DataException(spec.path() + ": column \"" + vec + "\" has type "
            + schema.apply(vec).dataType().simpleString() + ": expected an MLlib vector or an array of numbers");
      }
      DataType vt = schema.apply(vec).dataType();
      select.add(vt instanceof ArrayType ? functions.col(vec).cast("array<double>") : functions.col(vec));
      vectorKind = vt instanceof ArrayType ? 2 : 1;
      columns = new String[] {vec};
    } else {
      if (cols.isEmpty()) throw new DataException(spec.path() + ": no feature columns besides \"" + label + "\"");
      for (String c : cols) {
        if (!names.contains(c)) throw new DataException(spec.path() + ": no feature column \"" + c + "\"");
        StructField f = schema.apply(c);
        if (!(f.dataType() instanceof NumericType)) {
          throw new DataException(spec.path() + ": column \"" + c + "\" has type " + f.dataType().simpleString()
              + ": expected numbers (or name the feature columns with data.feature_columns)");
        }
        select.add(functions.col(c).cast("double"));
      }
      columns = cols.toArray(new String[0]);
    }
    select.add(functions.col("_metadata.file_path").as("__file"));
    select.add(functions.col("_metadata.row_index").as("__row"));
    Dataset<Row> df = raw.select(select.toArray(new Column[0]));
    int k = columns.length;
    int[] ord = new int[k + 1];
    for (int i = 0; i <= k; i++) ord[i] = i;
    Reader reader = new Reader(labelKind, vectorKind, stringLabels, columns, ord, k + 1, k + 2);
    // The columnar path reads the scan's columns as stored: only where the selection casts nothing.
    boolean asStored = vec != null ? vectorKind == 1 || ((ArrayType) schema.apply(vec).dataType()).elementType() instanceof DoubleType
        : java.util.Arrays.stream(columns).allMatch(c -> schema.apply(c).dataType() instanceof DoubleType);
    String[] stored = new String[k + 1];
    stored[0] = label;
    System.arraycopy(columns, 0, stored, 1, k);
    return new ParquetSource(l, conf, df, reader, asStored ? stored : null, counts);
  }

  /** How {@link Reader} reads a numeric label column's type (as {@code Number.doubleValue()}). */
  private static int labelKind(DataType t) {
    if (t instanceof ByteType) return 1;
    if (t instanceof ShortType) return 2;
    if (t instanceof IntegerType) return 3;
    if (t instanceof LongType) return 4;
    if (t instanceof FloatType) return 5;
    if (t instanceof DoubleType) return 6;
    if (t instanceof DecimalType dt) return 100_000 * dt.precision() + dt.scale() + 7_000_000;
    return 0; // strings
  }

  private static boolean isVector(DataType t) {
    return t.equals(SQLDataTypes.VectorType())
        || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
  }

  @Override public Files.Listing listing() { return listing; }
  @Override public Configuration conf() { return conf; }

  /**
   * Reads one of Spark's internal rows (label, features..., file path, row index) into a parsed
   * record, validated; shipped to the executors.
   */
  static final class Reader implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** 0 strings, 1..6 byte..double, else 7e6 + 1e5·precision + scale of a decimal. */
    final int labelKind;
    /** 0 numeric columns, 1 an MLlib vector, 2 an array of doubles. */
    final int vectorKind;
    final boolean stringLabels;
    final String[] columns;
    /** Ordinal of the label in the rows read, then of each feature column (or of the vector). */
    final int[] ord;
    /** Ordinals of the file path and of the row index within the file. */
    final int fileOrd;
    final int rowOrd;

    Reader(int labelKind, int vectorKind, boolean stringLabels, String[] columns, int[] ord, int fileOrd, int rowOrd) {
      this.labelKind = labelKind;
      this.vectorKind = vectorKind;
      this.stringLabels = stringLabels;
      this.columns = columns;
      this.ord = ord;
      this.fileOrd = fileOrd;
      this.rowOrd = rowOrd;
    }

    /** The same reader for rows laid out as {@code layout}'s ordinals give. */
    Reader at(int[] ord, int fileOrd, int rowOrd) {
      return new Reader(labelKind, vectorKind, stringLabels, columns, ord, fileOrd, rowOrd);
    }

    private double label(InternalRow r) {
      int o = ord[0];
      return switch (labelKind) {
        case 1 -> r.getByte(o);
        case 2 -> r.getShort(o);
        case 3 -> r.getInt(o);
        case 4 -> r.getLong(o);
        case 5 -> r.getFloat(o);
        case 6 -> r.getDouble(o);
        default -> {
          int k = labelKind - 7_000_000;
          yield r.getDecimal(o, k / 100_000, k % 100_000).toJavaBigDecimal().doubleValue();
        }
      };
    }

    /** One row (validated), or a RecordException naming file and record. */
    TextParsers.Parsed parse(InternalRow r, String file, long row, TextParsers.Parsed p) {
      try {
        if (r.isNullAt(ord[0])) throw new TextParsers.BadLine("label is null");
        if (stringLabels) {
          p.stringLabel = r.getUTF8String(ord[0]).toString();
          p.label = Double.NaN;
        } else {
          double l = label(r);
          // The message text only for a bad label (not one string per row).
          boolean ok = Double.isFinite(l) && l == Math.rint(l) && l >= -1 && l < DatasetLoader.MAX_CLASSES;
          p.label = ok ? (l == 0 ? 0.0 : l) : TextParsers.label(l, numberText(l));
          p.stringLabel = null;
        }
        if (vectorKind != 0) {
          int f = ord[1];
          if (r.isNullAt(f)) throw new TextParsers.BadLine("features (\"" + columns[0] + "\") are null");
          double[] dense;
          if (vectorKind == 1) {
            InternalRow v = r.getStruct(f, 4); // MLlib VectorUDT: type, size, indices, values
            if (v.getByte(0) == 0) {
              p.dense = null;
              p.idx = v.getArray(2).toIntArray();
              p.val = v.getArray(3).toDoubleArray();
              p.nnz = p.idx.length;
              for (int k = 0; k < p.nnz; k++) {
                if (!Double.isFinite(p.val[k])) finite(p.val[k], columns[0] + "[" + p.idx[k] + "]");
              }
              p.size = v.getInt(1);
              return p;
            }
            dense = v.getArray(3).toDoubleArray();
          } else {
            ArrayData a = r.getArray(f);
            dense = new double[a.numElements()];
            for (int j = 0; j < dense.length; j++) {
              if (a.isNullAt(j)) throw new TextParsers.BadLine(columns[0] + "[" + j + "] is null");
              dense[j] = a.getDouble(j);
            }
          }
          for (int j = 0; j < dense.length; j++) {
            if (!Double.isFinite(dense[j])) finite(dense[j], columns[0] + "[" + j + "]");
          }
          p.dense = dense;
          p.size = dense.length;
        } else {
          if (p.dense == null || p.dense.length != columns.length) p.dense = new double[columns.length];
          for (int j = 0; j < columns.length; j++) {
            if (r.isNullAt(ord[1 + j])) throw new TextParsers.BadLine("column \"" + columns[j] + "\" is null");
            double v = r.getDouble(ord[1 + j]);
            p.dense[j] = Double.isFinite(v) ? v : finite(v, "column \"" + columns[j] + "\"");
          }
          p.size = columns.length;
        }
        p.nnz = -1; // not counted here: the non-zeros are measured from the chunks (ChunkStats)
        p.idx = null;
        return p;
      } catch (TextParsers.BadLine e) {
        throw RecordException.atRow(file, row, e.getMessage());
      }
    }
  }

  private static String numberText(double l) {
    return l == Math.rint(l) && Math.abs(l) < 1e15 ? Long.toString((long) l) : Double.toString(l);
  }

  private static double finite(double v, String what) throws TextParsers.BadLine {
    if (!Double.isFinite(v)) throw new TextParsers.BadLine(what + ": " + v + " is not a finite number");
    return v;
  }

  /**
   * The row counts of the files, from their footers (read by {@link #of}; no data is read): the
   * ordinal bases. Only the rows are measured here; the rest comes from the shuffled chunks.
   */
  @Override
  public ScanStats scan() {
    files = listing.files().toArray(new String[0]);
    fileBases = new long[files.length];
    ScanStats total = new ScanStats(null, 0, true);
    for (int i = 0; i < files.length; i++) {
      fileBases[i] = total.rows;
      total.rows += counts[i];
    }
    return total;
  }

  @Override public boolean scanned() { return false; }

  @Override
  public JavaPairRDD<Integer, byte[]> chunks(Routing routing, int d) {
    if (files == null) throw new IllegalStateException("scan() first");
    Map<String, Long> base = new HashMap<>();
    for (int i = 0; i < files.length; i++) base.put(files[i], fileBases[i]);
    JavaRDD<ColumnarBatch> batches = columnar();
    if (batches != null) {
      Reader r = columnarReader;
      return batches.mapPartitions(it -> routing.chunks(rows(new BatchRows(it), base, r))).mapToPair(t -> t);
    }
    Reader reader = this.reader;
    return df.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> routing.chunks(rows(it, base, reader)))
        .mapToPair(t -> t);
  }

  private Reader columnarReader;

  /** Whether {@link #chunks} reads the scan's column batches (else Spark's rows); for tests. */
  boolean readsColumnar() {
    return columnar() != null;
  }

  /**
   * The Parquet scan's column batches, read as rows in place ({@link ColumnarBatch#rowIterator}),
   * when the scan is columnar and the selection only renames: the rows then skip Spark's
   * conversion into UnsafeRows, which copies every value once more (JFR of benchmark row 7: most
   * of the read's time after decoding). Null (the row path) otherwise, e.g. with casts.
   */
  private JavaRDD<ColumnarBatch> columnar() {
    if (stored == null) return null;
    SparkPlan plan = df.queryExecution().executedPlan();
    List<SparkPlan> scans = new ArrayList<>();
    plan.foreach(n -> {
      if (n instanceof FileSourceScanExec) scans.add(n);
      return null;
    });
    if (scans.size() != 1 || !scans.get(0).supportsColumnar()) return null;
    SparkPlan scan = scans.get(0);
    List<String> names = new ArrayList<>();
    scala.jdk.javaapi.CollectionConverters.asJava(scan.output()).forEach(a -> names.add(a.name()));
    int[] ord = new int[stored.length];
    for (int i = 0; i < stored.length; i++) {
      ord[i] = names.indexOf(stored[i]);
      if (ord[i] < 0 || names.lastIndexOf(stored[i]) != ord[i]) return null;
    }
    int fileOrd = names.indexOf("file_path");
    int rowOrd = names.indexOf("_tmp_metadata_row_index");
    if (fileOrd < 0 || rowOrd < 0 || names.size() != stored.length + 2) return null;
    columnarReader = reader.at(ord, fileOrd, rowOrd);
    return scan.executeColumnar().toJavaRDD();
  }

  /** The rows of a partition's column batches, each batch's rows viewed in place. */
  private static final class BatchRows implements java.util.Iterator<InternalRow> {
    private final java.util.Iterator<ColumnarBatch> batches;
    private java.util.Iterator<InternalRow> rows = java.util.Collections.emptyIterator();

    BatchRows(java.util.Iterator<ColumnarBatch> batches) {
      this.batches = batches;
    }

    @Override public boolean hasNext() {
      // The reader reuses a batch for the next one: its rows are used up before asking.
      while (!rows.hasNext()) {
        if (!batches.hasNext()) return false;
        rows = batches.next().rowIterator();
      }
      return true;
    }

    @Override public InternalRow next() {
      if (!hasNext()) throw new java.util.NoSuchElementException();
      return rows.next();
    }
  }

  /** A partition's rows, validated, with their identities: the file's base plus the row index. */
  private static Routing.Rows rows(java.util.Iterator<InternalRow> it, Map<String, Long> base, Reader reader) {
    return new Routing.Rows() {
      final TextParsers.Parsed p = new TextParsers.Parsed();
      UTF8String lastPath;
      String file;
      long first;
      int size0 = -1;

      @Override boolean advance() {
        if (!it.hasNext()) return false;
        InternalRow r = it.next();
        UTF8String path = r.getUTF8String(reader.fileOrd);
        // The path may be a view of reused bytes: compared, and cloned when it changes.
        if (!path.equals(lastPath)) {
          lastPath = path.clone();
          file = path.toString();
          Long b = base.get(SparkPath.fromUrlString(file).toPath().toString());
          if (b == null) throw new IllegalStateException(file + " is not one of the listed input files");
          first = b;
        }
        long row = r.getLong(reader.rowOrd);
        reader.parse(r, file, row, p);
        if (size0 < 0) size0 = p.size;
        else if (p.size != size0) {
          throw RecordException.atRow(file, row, "features have " + p.size + " values, other rows " + size0);
        }
        id = first + row;
        parsed = p;
        size = p.size;
        return true;
      }
    };
  }

  /** The file (as errors name it) and the 0-based row index within it of an identity. */
  @Override
  public String[] locate(long id) {
    int i = Arrays.binarySearch(fileBases, id);
    if (i < 0) i = -i - 2;
    while (i + 1 < fileBases.length && fileBases[i + 1] == id) i++; // skip empty files
    return new String[] {new Path(files[i]).toUri().toString(), Long.toString(id - fileBases[i])};
  }
}
