package io.adaspark.data;

/**
 * A bad record found on an executor: the file, where the record starts (byte offset in the
 * decompressed text, or the row index of a Parquet file) and what is wrong. The loader turns it
 * into a {@link DataException} naming {@code file:line} on the driver (line numbers are counted
 * only when an error is found).
 */
final class RecordException extends DataException {
  private static final long serialVersionUID = 1L;
  final String file;
  final long offset;
  final long rowIndex;
  final String what;

  private RecordException(String file, long offset, long rowIndex, String what) {
    super(Files.display(file) + (offset >= 0 ? " (byte " + offset + ")" : ": record " + (rowIndex + 1)) + ": " + what);
    this.file = file;
    this.offset = offset;
    this.rowIndex = rowIndex;
    this.what = what;
  }

  /** A bad line of a text file, starting at this byte offset of the decompressed text. */
  static RecordException atOffset(String file, long offset, String what) {
    return new RecordException(file, offset, -1, what);
  }

  /** A bad row of a Parquet file (0-based row index within the file). */
  static RecordException atRow(String file, long rowIndex, String what) {
    return new RecordException(file, -1, rowIndex, what);
  }
}
