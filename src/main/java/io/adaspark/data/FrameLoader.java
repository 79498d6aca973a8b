package io.adaspark.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * An existing DataFrame of (label, features) — the input of a Spark ML {@code fit} — loaded
 * into the same cached per-partition blocks as a job file's data ({@link DatasetLoader}: one
 * shuffle of {@link Chunk}s, rows routed by a hash of their identity, blocks in identity order).
 *
 * <p>A row's identity is its ordinal in the DataFrame: the rows of the earlier input partitions
 * (counted by one job, as {@code zipWithIndex} does) plus its index within its partition. So a
 * DataFrame read from one file in file order gets the identities a job file reading that file
 * gives, and the same blocks (same {@code training.partitions}, no split, no standardization):
 * a fit and a job run are then bit-identical. Every row goes to training ({@code test_fraction}
 * 0) and features are used as given (no standardization: put a {@code StandardScaler} before the
 * estimator). The DataFrame is evaluated twice (counts, then rows): it must give the same rows
 * in the same order both times (cache it, as {@code CrossValidator} does its folds).
 *
 * <p>Labels and features are validated as Parquet input is: labels whole numbers 0..K−1 (or
 * −1/+1), features finite; a bad row is reported as {@code DataFrame: record N} (1-based).
 */
public final class FrameLoader {
  private FrameLoader() {}

  /** What the loader and the run ids know of a DataFrame input. */
  public record FrameSpec(@JsonProperty("label_col") String labelCol,
                          @JsonProperty("features_col") String featuresCol) implements DataSpec {
    private static final long serialVersionUID = 1L;

    @Override public String typeName() { return "dataframe"; }
    @Override public double testFraction() { return 0; }
    @Override public double validationFraction() { return 0; }
    @Override public long splitSeed() { return 0; }
    @Override public boolean standardize() { return false; }
    @Override public String layout() { return "auto"; }
    @Override public String source() { return NAME; }
  }

  /** How errors name the input. */
  static final String NAME = "DataFrame";

  /**
   * The rows of {@code df} as training blocks in {@code partitions} partitions (no test rows).
   *
   * @param labelCol a numeric column of class indices
   * @param featuresCol an MLlib vector column (dense or sparse)
   * @throws IllegalArgumentException if a column is missing or of the wrong type
   * @throws DataException for a bad row (non-finite value, bad label, differing vector sizes)
   */
  public static PreparedData load(Dataset<?> df, String labelCol, String featuresCol, int partitions) {
    DataType lt = type(df, labelCol);
    if (!(lt instanceof NumericType)) {
      throw new IllegalArgumentException("Column " + labelCol + " must be of a numeric type but was actually of type "
          + lt.simpleString() + ".");
    }
    DataType ft = type(df, featuresCol);
    if (!ft.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("Column " + featuresCol + " must be of type "
          + SQLDataTypes.VectorType().simpleString() + " but was actually " + ft.simpleString() + ".");
    }
    Dataset<Row> rows = df.select(functions.col(labelCol).cast("double").as("label"), functions.col(featuresCol));
    FrameSource source = new FrameSource(rows, featuresCol, df.sparkSession().sparkContext().hadoopConfiguration());
    return DatasetLoader.load(source, new FrameSpec(labelCol, featuresCol), null, partitions);
  }

  private static DataType type(Dataset<?> df, String col) {
    if (!java.util.Arrays.asList(df.schema().fieldNames()).contains(col)) {
      throw new IllegalArgumentException(col + " does not exist. Available: "
          + String.join(", ", df.schema().fieldNames()));
    }
    return df.schema().apply(col).dataType();
  }

  /** The rows of a DataFrame (label as double, one vector column) with their ordinals. */
  private static final class FrameSource implements RowSource {
    private final Dataset<Row> rows;
    private final Configuration conf;
    private final ParquetSource.Reader reader;
    private long[] bases;

    FrameSource(Dataset<Row> rows, String featuresCol, Configuration conf) {
      this.rows = rows;
      this.conf = conf;
      // label: a double (kind 6) at ordinal 0; the features: an MLlib vector (kind 1) at 1.
      this.reader = new ParquetSource.Reader(6, 1, false, new String[] {featuresCol}, new int[] {0, 1}, -1, -1);
    }

    private JavaRDD<InternalRow> internal() {
      return rows.queryExecution().toRdd().toJavaRDD();
    }

    @Override public Files.Listing listing() { return new Files.Listing(NAME, List.of(), 0); }

    @Override public Configuration conf() { return conf; }

    /** One job: the rows of each input partition, whose prefix sums are the ordinal bases. */
    @Override
    public ScanStats scan() {
      List<Long> counts = internal().mapPartitions(it -> {
        long n = 0;
        while (it.hasNext()) {
          it.next();
          n++;
        }
        return List.of(n).iterator();
      }).collect();
      bases = new long[counts.size()];
      ScanStats total = new ScanStats(null, 0, true);
      for (int p = 0; p < bases.length; p++) {
        bases[p] = total.rows;
        total.rows += counts.get(p);
      }
      return total;
    }

    @Override public boolean scanned() { return false; }

    @Override
    public JavaPairRDD<Integer, byte[]> chunks(Routing routing, int d) {
      if (bases == null) throw new IllegalStateException("scan() first");
      long[] b = bases;
      ParquetSource.Reader r = reader;
      return internal().mapPartitionsWithIndex((p, it) -> routing.chunks(rowsOf(it, b[p], r)), false)
          .mapToPair(t -> t);
    }

    private static Routing.Rows rowsOf(java.util.Iterator<InternalRow> it, long base, ParquetSource.Reader reader) {
      return new Routing.Rows() {
        final TextParsers.Parsed p = new TextParsers.Parsed();
        long next = base;
        int size0 = -1;

        @Override boolean advance() {
          if (!it.hasNext()) return false;
          InternalRow r = it.next();
          reader.parse(r, NAME, next, p);
          if (size0 < 0) size0 = p.size;
          else if (p.size != size0) {
            throw RecordException.atRow(NAME, next, "features have " + p.size + " values, other rows " + size0);
          }
          id = next++;
          parsed = p;
          size = p.size;
          return true;
        }
      };
    }

    @Override
    public String[] locate(long id) {
      return new String[] {NAME, Long.toString(id)};
    }
  }
}
