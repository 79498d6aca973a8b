package io.adaspark.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The footers of the Parquet input files, read on the driver before Spark touches the files: the
 * row count of each file (the ordinal bases of {@link ParquetSource}) and, for a file whose footer
 * cannot be read, one line saying what is wrong with it instead of Spark's task failure.
 *
 * <p>A Parquet file is {@code PAR1}, the data, the footer (Thrift {@code FileMetaData}), the
 * footer's length as a 4-byte little-endian integer, and {@code PAR1} again ({@code PARE} for an
 * encrypted footer). A file that cannot be opened is examined only then (its length, first 4 and
 * last 8 bytes), so a good input costs no extra read:
 * <ul>
 *   <li>{@code file: not a Parquet file (…)} — shorter than 12 bytes, or no magic number at its
 *       start or end (another format, or a file cut short);</li>
 *   <li>{@code file: corrupt Parquet footer (…)} — the footer length points outside the file, or
 *       the footer's bytes do not decode as Parquet metadata.</li>
 * </ul>
 */
final class ParquetFooters {
  static final int MAGIC_LENGTH = 4;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC_ENCRYPTED = "PARE".getBytes(StandardCharsets.US_ASCII);

  private ParquetFooters() {}

  /** The row count of every file, in the given order (footers read in parallel on the driver). */
  static long[] rowCounts(Configuration conf, String[] files) {
    long[] counts = new long[files.length];
    IntStream.range(0, files.length).parallel().forEach(i -> counts[i] = rowCount(conf, files[i]));
    return counts;
  }

  /** The row count of one file from its footer; a {@link DataException} naming the file's fault if unreadable. */
  static long rowCount(Configuration conf, String file) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
      return r.getRecordCount();
    } catch (Exception e) { // IOException, or a RuntimeException for a malformed footer
      throw new DataException(Files.display(file) + ": " + diagnose(conf, file, e), e);
    }
  }

  /**
   * Why {@code file} could not be opened ({@code failure} is what the Parquet reader threw):
   * {@code not a Parquet file (…)}, {@code corrupt Parquet footer (…)}, or, when the file looks
   * well-formed (e.g. it cannot be read at all), {@code cannot read as Parquet: …}.
   */
  static String diagnose(Configuration conf, String file, Throwable failure) {
    Path p = new Path(file);
    long length;
    byte[] head = new byte[MAGIC_LENGTH];
    byte[] tail = new byte[8];
    try {
      FileSystem fs = p.getFileSystem(conf);
      length = fs.getFileStatus(p).getLen();
      if (length < 2L * MAGIC_LENGTH + 4) {
        return "not a Parquet file (" + length + " bytes; the smallest is 12: \"PAR1\", footer length, \"PAR1\")";
      }
      try (FSDataInputStream in = fs.open(p)) {
        in.readFully(0, head);
        in.readFully(length - tail.length, tail);
      }
    } catch (IOException | RuntimeException e) {
      return "cannot read as Parquet: " + rootMessage(failure);
    }
    return classify(length, head, tail, rootMessage(failure));
  }

  /**
   * The fault of a file of {@code length} bytes that starts with {@code head} (4 bytes) and ends
   * with {@code tail} (8 bytes: footer length, magic); {@code readerMessage} is the Parquet
   * reader's own explanation, used when the layout looks right.
   */
  static String classify(long length, byte[] head, byte[] tail, String readerMessage) {
    byte[] endMagic = java.util.Arrays.copyOfRange(tail, 4, 8);
    boolean plainEnd = java.util.Arrays.equals(endMagic, MAGIC);
    boolean encryptedEnd = java.util.Arrays.equals(endMagic, MAGIC_ENCRYPTED);
    if (!java.util.Arrays.equals(head, MAGIC) && !(encryptedEnd && java.util.Arrays.equals(head, MAGIC_ENCRYPTED))) {
      return "not a Parquet file (it does not start with \"PAR1\": starts with " + show(head) + ")";
    }
    if (!plainEnd && !encryptedEnd) {
      return "not a Parquet file (it does not end with \"PAR1\": ends with " + show(endMagic)
          + "; cut short, or still being written?)";
    }
    long footer = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    long room = length - 2L * MAGIC_LENGTH - 4;
    if (footer <= 0 || footer > room) {
      return "corrupt Parquet footer (footer length " + footer + " is out of range: the file has " + length
          + " bytes, room for at most " + room + ")";
    }
    return "corrupt Parquet footer (its " + footer + " bytes do not decode as Parquet metadata: " + readerMessage + ")";
  }

  /** Bytes as text when printable ASCII, else as hex. */
  private static String show(byte[] b) {
    boolean printable = true;
    for (byte x : b) printable &= x >= 0x20 && x < 0x7f;
    if (printable) return "\"" + new String(b, StandardCharsets.US_ASCII) + "\"";
    StringBuilder sb = new StringBuilder("0x");
    for (byte x : b) sb.append(String.format("%02x", x & 0xff));
    return sb.toString();
  }

  /** The innermost cause's message; its class name when it has none, or for a NullPointerException. */
  static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    if (t instanceof NullPointerException || t.getMessage() == null || t.getMessage().isBlank()) {
      return t.getClass().getSimpleName();
    }
    String m = t.getMessage();
    int nl = m.indexOf('\n');
    if (nl >= 0) m = m.substring(0, nl);
    // Thrift's "Required field 'version' was not found in serialized data! Struct: ...Scheme@1e75af65"
    int struct = m.indexOf(" Struct: ");
    return struct < 0 ? m : m.substring(0, struct);
  }
}
