package io.adaspark.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * LIBSVM and CSV text through Hadoop's {@code TextInputFormat} (plain or compressed, any
 * Hadoop file system), validated line by line on the executors.
 *
 * <p>Row identity: the files are sorted by path and each data line (not a header, blank or
 * comment line) gets its ordinal in that order. A first pass counts the data lines of each
 * input split; the driver turns the counts into each split's first ordinal. So the identity
 * does not depend on how the files are split (split sizes, cores, cluster). A second pass,
 * the map side of the loader's single shuffle ({@link #chunks}), reads the lines again and
 * packs the rows of train and test alike into {@link Chunk}s.
 */
final class TextSource implements RowSource {
  private final String pathSpec;
  private final Files.Listing listing;
  private final Configuration conf;
  private final LineFormat format;
  private final JavaSparkContext jsc;
  private Map<String, Long> bases;

  /** How to read one line; shipped to the executors. */
  static final class LineFormat implements Serializable {
    private static final long serialVersionUID = 1L;
    final boolean csv;
    final int numFeatures; // libsvm: allowed maximum index, -1 when inferred
    final String[] header; // csv
    final int labelCol; // csv
    final boolean stringLabels;

    LineFormat(boolean csv, int numFeatures, String[] header, int labelCol, boolean stringLabels) {
      this.csv = csv;
      this.numFeatures = numFeatures;
      this.header = header;
      this.labelCol = labelCol;
      this.stringLabels = stringLabels;
    }

    TextParsers.Parsed parse(String line, TextParsers.Parsed buf) throws TextParsers.BadLine {
      return csv ? TextParsers.csv(line, header, labelCol, stringLabels, buf) : TextParsers.libsvm(line, numFeatures, buf);
    }
  }

  private TextSource(JavaSparkContext jsc, String pathSpec, LineFormat format, Files.Listing listing) {
    this.jsc = jsc;
    this.pathSpec = pathSpec;
    this.listing = listing;
    this.format = format;
    try {
      Job job = Job.getInstance(jsc.hadoopConfiguration());
      Path[] paths = listing.files().stream().map(Path::new).toArray(Path[]::new);
      FileInputFormat.setInputPaths(job, paths);
      this.conf = job.getConfiguration();
    } catch (IOException e) {
      throw new DataException(pathSpec + ": " + e.getMessage(), e);
    }
  }

  static TextSource libsvm(JavaSparkContext jsc, LibsvmSpec spec) {
    Files.Listing l = Files.list(jsc.hadoopConfiguration(), spec.path());
    int d = spec.numFeatures() == null ? -1 : spec.numFeatures();
    return new TextSource(jsc, spec.path(), new LineFormat(false, d, null, -1, false), l);
  }

  /** Reads every file's header on the driver: they must agree and hold the label column. */
  static TextSource csv(JavaSparkContext jsc, CsvSpec spec) {
    Configuration conf = jsc.hadoopConfiguration();
    Files.Listing l = Files.list(conf, spec.path());
    String[] header = null;
    String headerFile = null;
    for (String f : l.files()) {
      String[] first = Files.firstLine(conf, f);
      if (first == null) continue; // an empty file: no header, no rows
      String[] h;
      try {
        h = TextParsers.cells(TextParsers.content(first[0], false)).toArray(new String[0]);
      } catch (TextParsers.BadLine e) {
        throw new DataException(Files.display(f) + ":" + first[1] + ": header: " + e.getMessage());
      }
      for (int i = 0; i < h.length; i++) {
        if (h[i].isEmpty()) throw new DataException(Files.display(f) + ":" + first[1] + ": header: column " + (i + 1) + " has no name");
      }
      if (header == null) {
        if (!Arrays.asList(h).contains(spec.labelColumn())) {
          throw new DataException(Files.display(f) + ":" + first[1] + ": header has no label column \""
              + spec.labelColumn() + "\" (columns: " + String.join(", ", h) + "; set data.label_column)");
        }
        if (h.length < 2) throw new DataException(Files.display(f) + ":" + first[1] + ": header has no feature columns");
        header = h;
        headerFile = f;
      } else if (!Arrays.equals(header, h)) {
        throw new DataException(Files.display(f) + ":" + first[1] + ": header differs from the header of "
            + Files.display(headerFile));
      }
    }
    if (header == null) throw new DataException(spec.path() + ": no rows (empty input)");
    int labelCol = Arrays.asList(header).indexOf(spec.labelColumn());
    return new TextSource(jsc, spec.path(), new LineFormat(true, header.length - 1, header, labelCol,
        spec.labelType().equals("string")), l);
  }

  @Override public Files.Listing listing() { return listing; }
  @Override public Configuration conf() { return conf; }

  @SuppressWarnings("unchecked")
  private JavaNewHadoopRDD<LongWritable, Text> lines() {
    return (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopRDD(conf, TextInputFormat.class,
        LongWritable.class, Text.class);
  }

  /** The data lines of one split, as (offset, parsed) — header, blank and comment lines skipped. */
  static Iterator<Tuple2<Long, TextParsers.Parsed>> parsed(InputSplit split, Iterator<Tuple2<LongWritable, Text>> it,
                                                            LineFormat f) {
    FileSplit fs = (FileSplit) split;
    String file = fs.getPath().toString();
    boolean skipHeader = f.csv && fs.getStart() == 0;
    return new Iterator<>() {
      final TextParsers.Parsed buf = new TextParsers.Parsed();
      boolean header = skipHeader;
      Tuple2<Long, TextParsers.Parsed> next;

      @Override public boolean hasNext() {
        while (next == null) {
          boolean more;
          try {
            more = it.hasNext();
          } catch (RuntimeException e) {
            throw unreadable(file, e);
          } catch (Exception e) { // checked IOExceptions rethrown by Hadoop's reader
            throw unreadable(file, e);
          }
          if (!more) return false;
          Tuple2<LongWritable, Text> t = it.next();
          long off = t._1.get();
          String line = t._2.toString();
          if (off == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
          if (header) {
            if (!TextParsers.content(line, false).isEmpty()) header = false;
            continue;
          }
          try {
            if (f.parse(line, buf) != null) next = new Tuple2<>(off, buf);
          } catch (TextParsers.BadLine e) {
            throw RecordException.atOffset(file, off, e.getMessage());
          }
        }
        return true;
      }

      @Override public Tuple2<Long, TextParsers.Parsed> next() {
        if (!hasNext()) throw new NoSuchElementException();
        Tuple2<Long, TextParsers.Parsed> r = next;
        next = null;
        return r;
      }
    };
  }

  private static DataException unreadable(String file, Throwable e) {
    if (e instanceof DataException d) return d;
    return new DataException(Files.display(file) + ": cannot read (" + e.getClass().getSimpleName() + ": "
        + e.getMessage() + "): unreadable, or a corrupt or truncated compressed file", e);
  }

  @Override
  public ScanStats scan() {
    LineFormat f = format;
    List<ScanStats> parts = Files.guard(conf, () -> lines().mapPartitionsWithInputSplit((split, it) -> {
      FileSplit fs = (FileSplit) split;
      ScanStats s = new ScanStats(fs.getPath().toString(), fs.getStart(), false);
      Iterator<Tuple2<Long, TextParsers.Parsed>> rows = parsed(split, it, f);
      while (rows.hasNext()) {
        Tuple2<Long, TextParsers.Parsed> r = rows.next();
        s.add(r._2, r._1);
      }
      return List.of(s).iterator();
    }, false).collect());
    List<ScanStats> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> a.file.equals(b.file) ? Long.compare(a.start, b.start) : a.file.compareTo(b.file));
    Map<String, Long> base = new HashMap<>();
    ScanStats total = new ScanStats(null, 0, false);
    for (ScanStats s : sorted) {
      base.put(s.file + "\u0000" + s.start, total.rows);
      total.merge(s);
    }
    this.bases = base;
    total.features = format.csv ? format.numFeatures : (format.numFeatures >= 0 ? format.numFeatures : total.maxIndex);
    return total;
  }

  @Override
  public JavaPairRDD<Integer, byte[]> chunks(Routing routing, int d) {
    if (bases == null) throw new IllegalStateException("scan() first");
    LineFormat f = format;
    Map<String, Long> base = bases;
    return lines().mapPartitionsWithInputSplit((split, it) -> routing.chunks(rows(split, it, f, base, d)), false)
        .mapToPair(t -> t);
  }

  /** The rows of one split with their identities: the split's first ordinal, then one per data line. */
  private static Routing.Rows rows(InputSplit split, Iterator<Tuple2<LongWritable, Text>> it, LineFormat f,
                                   Map<String, Long> base, int d) {
    FileSplit fs = (FileSplit) split;
    long first = base.get(fs.getPath().toString() + "\u0000" + fs.getStart());
    Iterator<Tuple2<Long, TextParsers.Parsed>> data = parsed(split, it, f);
    return new Routing.Rows() {
      long k = first;

      @Override boolean advance() {
        if (!data.hasNext()) return false;
        TextParsers.Parsed p = data.next()._2;
        id = k++;
        parsed = p;
        size = p.dense != null ? p.dense.length : d;
        return true;
      }
    };
  }
}
