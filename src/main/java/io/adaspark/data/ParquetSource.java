package io.adaspark.data;

import io.adaspark.config.ParquetSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Parquet through Spark's reader: a label column and either one vector column (MLlib
 * {@code VectorUDT} or an array of numbers) or numeric columns. Row identity: the file's rank
 * among the files sorted by path, then Spark's {@code _metadata.row_index} (the row's index
 * within its file), turned into an ordinal by the validating pass. Errors name the file and the
 * 1-based record number within it.
 */
final class ParquetSource implements RowSource {
  private final Files.Listing listing;
  private final Configuration conf;
  private final Dataset<Row> df; // label, features..., file, row index
  private final boolean vectorColumn;
  private final boolean stringLabels;
  private final int numColumns;
  private final String[] columns;
  private Map<String, Long> bases;

  private ParquetSource(Files.Listing listing, Configuration conf, Dataset<Row> df, boolean vectorColumn,
                        boolean stringLabels, String[] columns) {
    this.listing = listing;
    this.conf = conf;
    this.df = df;
    this.vectorColumn = vectorColumn;
    this.stringLabels = stringLabels;
    this.columns = columns;
    this.numColumns = columns.length;
  }

  static ParquetSource of(SparkSession spark, ParquetSpec spec) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Files.Listing l = Files.list(conf, spec.path());
    Dataset<Row> raw;
    StructType schema;
    try {
      raw = spark.read().parquet(l.files().toArray(new String[0]));
      schema = raw.schema();
    } catch (RuntimeException e) {
      throw new DataException(spec.path() + ": cannot read as Parquet: " + root(e), e);
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
    if (vec != null) {
      if (!names.contains(vec)) throw new DataException(spec.path() + ": no features column \"" + vec + "\"");
      if (!isVector(schema.apply(vec).dataType())) {
        throw new DataException(spec.path() + ": column \"" + vec + "\" has type "
            + schema.apply(vec).dataType().simpleString() + ": expected an MLlib vector or an array of numbers");
      }
      DataType vt = schema.apply(vec).dataType();
      select.add(vt instanceof ArrayType ? functions.col(vec).cast("array<double>") : functions.col(vec));
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
    return new ParquetSource(l, conf, df, vec != null, stringLabels, columns);
  }

  private static boolean isVector(DataType t) {
    return t.equals(SQLDataTypes.VectorType())
        || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
  }

  private static String root(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage();
  }

  @Override public Files.Listing listing() { return listing; }
  @Override public Configuration conf() { return conf; }

  /** One row as a parsed record (validated), or a RecordException naming file and record. */
  static TextParsers.Parsed parse(Row r, boolean vectorColumn, boolean stringLabels, String[] columns,
                                  TextParsers.Parsed p) {
    int last = r.size();
    String file = r.getString(last - 2);
    long row = r.getLong(last - 1);
    try {
      if (r.isNullAt(0)) throw new TextParsers.BadLine("label is null");
      if (stringLabels) {
        p.stringLabel = r.getString(0);
        p.label = Double.NaN;
      } else {
        double l = ((Number) r.get(0)).doubleValue();
        p.label = TextParsers.label(l, numberText(l));
        p.stringLabel = null;
      }
      if (vectorColumn) {
        if (r.isNullAt(1)) throw new TextParsers.BadLine("features (\"" + columns[0] + "\") are null");
        Object o = r.get(1);
        double[] dense;
        if (o instanceof SparseVector sv) {
          p.dense = null;
          p.idx = sv.indices();
          p.val = sv.values();
          p.nnz = p.idx.length;
          for (int k = 0; k < p.nnz; k++) finite(p.val[k], columns[0] + "[" + p.idx[k] + "]");
          p.size = sv.size();
          return p;
        } else if (o instanceof DenseVector dv) {
          dense = dv.values();
        } else {
          scala.collection.Seq<?> s = (scala.collection.Seq<?>) o;
          dense = new double[s.size()];
          for (int j = 0; j < dense.length; j++) {
            Object v = s.apply(j);
            if (v == null) throw new TextParsers.BadLine(columns[0] + "[" + j + "] is null");
            dense[j] = ((Number) v).doubleValue();
          }
        }
        for (int j = 0; j < dense.length; j++) finite(dense[j], columns[0] + "[" + j + "]");
        p.dense = dense;
        p.size = dense.length;
      } else {
        if (p.dense == null || p.dense.length != columns.length) p.dense = new double[columns.length];
        for (int j = 0; j < columns.length; j++) {
          if (r.isNullAt(1 + j)) throw new TextParsers.BadLine("column \"" + columns[j] + "\" is null");
          p.dense[j] = finite(r.getDouble(1 + j), "column \"" + columns[j] + "\"");
        }
        p.size = columns.length;
      }
      int nnz = 0;
      for (double v : p.dense) if (v != 0) nnz++;
      p.nnz = nnz;
      p.idx = null;
      return p;
    } catch (TextParsers.BadLine e) {
      throw RecordException.atRow(file, row, e.getMessage());
    }
  }

  private static String numberText(double l) {
    return l == Math.rint(l) && Math.abs(l) < 1e15 ? Long.toString((long) l) : Double.toString(l);
  }

  private static double finite(double v, String what) throws TextParsers.BadLine {
    if (!Double.isFinite(v)) throw new TextParsers.BadLine(what + ": " + v + " is not a finite number");
    return v;
  }

  @Override
  public ScanStats scan() {
    boolean vc = vectorColumn;
    boolean sl = stringLabels;
    String[] cols = columns;
    List<Map<String, ScanStats>> parts = Files.guard(conf, () -> df.javaRDD().mapPartitions((Iterator<Row> it) -> {
      Map<String, ScanStats> byFile = new HashMap<>();
      TextParsers.Parsed p = new TextParsers.Parsed();
      int[] size = {-1};
      while (it.hasNext()) {
        Row r = it.next();
        String file = r.getString(r.size() - 2);
        long row = r.getLong(r.size() - 1);
        parse(r, vc, sl, cols, p);
        if (size[0] < 0) size[0] = p.size;
        else if (p.size != size[0]) {
          throw RecordException.atRow(file, row, "features have " + p.size + " values, other rows " + size[0]);
        }
        ScanStats s = byFile.computeIfAbsent(file, f -> new ScanStats(f, 0, true));
        s.add(p, row);
        s.features = Math.max(s.features, p.size);
      }
      return List.of(byFile).iterator();
    }).collect());
    TreeMap<String, ScanStats> files = new TreeMap<>();
    for (Map<String, ScanStats> m : parts) {
      for (ScanStats s : m.values()) {
        ScanStats t = files.computeIfAbsent(s.file, f -> new ScanStats(f, 0, true));
        t.merge(s);
        t.features = Math.max(t.features, s.features);
      }
    }
    ScanStats total = new ScanStats(null, 0, true);
    Map<String, Long> base = new HashMap<>();
    for (ScanStats s : files.values()) {
      if (total.features > 0 && s.features > 0 && s.features != total.features) {
        throw new DataException(Files.display(s.file) + ": rows have " + s.features + " features, other files "
            + total.features);
      }
      base.put(s.file, total.rows);
      int f = Math.max(total.features, s.features);
      total.merge(s);
      total.features = f;
    }
    bases = base;
    return total;
  }

  @Override
  public JavaPairRDD<Long, LabeledRow> rows(int d, LabelCoding coding) {
    if (bases == null) throw new IllegalStateException("scan() first");
    boolean vc = vectorColumn;
    boolean sl = stringLabels;
    String[] cols = columns;
    Map<String, Long> base = bases;
    return df.javaRDD().mapToPair(r -> {
      TextParsers.Parsed p = parse(r, vc, sl, cols, new TextParsers.Parsed());
      long id = base.get(r.getString(r.size() - 2)) + r.getLong(r.size() - 1);
      double label = p.stringLabel != null ? coding.of(p.stringLabel) : coding.of(p.label);
      Vector v = p.dense != null ? new DenseVector(p.dense) : TextSource.vector(p, d);
      return new Tuple2<>(id, new LabeledRow(label, v));
    });
  }
}
