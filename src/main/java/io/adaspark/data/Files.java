package io.adaspark.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Listing input files, opening them (decompressing by extension) and naming lines in errors. */
final class Files {
  private Files() {}

  /** A listed input: the data files (sorted by path, hidden files skipped) and their bytes. */
  record Listing(String qualified, List<String> files, long bytes) {}

  /**
   * The files a path names: a file, a directory (recursively) or a glob, any Hadoop file
   * system. Names starting with {@code .} or {@code _} are skipped (as Hadoop and Spark do).
   * Sorted by path: the order that defines row identities.
   */
  static Listing list(Configuration conf, String pathSpec) {
    try {
      Path p = new Path(pathSpec);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) throw new DataException(pathSpec + ": no such file or directory");
      List<String> files = new ArrayList<>();
      long bytes = 0;
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (hidden(f.getPath(), m.getPath())) continue;
            files.add(f.getPath().toString());
            bytes += f.getLen();
          }
        } else if (!hidden(m.getPath(), null)) {
          files.add(m.getPath().toString());
          bytes += m.getLen();
        }
      }
      if (files.isEmpty()) throw new DataException(pathSpec + ": no data files (empty input)");
      files.sort(null);
      return new Listing(fs.makeQualified(p).toString(), List.copyOf(files), bytes);
    } catch (IOException e) {
      throw new DataException(pathSpec + ": cannot list: " + e.getMessage(), e);
    }
  }

  private static boolean hidden(Path file, Path root) {
    for (Path q = file; q != null && !q.equals(root); q = q.getParent()) {
      String n = q.getName();
      if (n.startsWith(".") || n.startsWith("_")) return true;
      if (root == null) break;
    }
    return false;
  }

  /** The file's (decompressed) bytes. */
  static InputStream open(Configuration conf, String file) throws IOException {
    Path p = new Path(file);
    InputStream in = p.getFileSystem(conf).open(p);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
    return new BufferedInputStream(codec == null ? in : codec.createInputStream(in), 1 << 16);
  }

  /**
   * The 1-based line number of the line starting at this offset of the decompressed text:
   * one plus the line ends before it (LF, CRLF or a lone CR, as Hadoop's line reader).
   */
  static long lineNumber(Configuration conf, String file, long offset) {
    try (InputStream in = open(conf, file)) {
      long line = 1;
      boolean cr = false;
      for (long pos = 0; pos < offset; pos++) {
        int b = in.read();
        if (b < 0) break;
        if (b == '\n') line++;
        else if (cr) line++;
        cr = b == '\r';
      }
      if (cr && in.read() != '\n') line++;
      return line;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The first line of a text file that is not blank or a comment, with its offset; null if none. */
  static String[] firstLine(Configuration conf, String file) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(conf, file), StandardCharsets.UTF_8))) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) return new String[] {line, Long.toString(n)};
      }
      return null;
    } catch (IOException e) {
      throw new DataException(display(file) + ": cannot read (" + e.getMessage() + "): unreadable, or a corrupt or truncated compressed file", e);
    }
  }

  /** How errors name a file: the local path without its {@code file:} scheme, else the URI. */
  static String display(String file) {
    try {
      URI u = new URI(file);
      return "file".equals(u.getScheme()) ? u.getPath() : file;
    } catch (Exception e) {
      return file;
    }
  }

  /**
   * Runs a Spark action; a bad record found by a task becomes a {@link DataException} naming
   * {@code file:line} (or {@code file: record N}); other data errors are unwrapped from Spark's
   * task-failure exceptions.
   */
  static <T> T guard(Configuration conf, Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
        if (c instanceof RecordException r) throw located(conf, r);
        if (c instanceof DataException d) throw new DataException(d.getMessage(), e);
      }
      throw Files.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }

  static DataException located(Configuration conf, RecordException r) {
    if (r.offset < 0) return new DataException(r.getMessage(), r);
    long line = lineNumber(conf, r.file, r.offset);
    return new DataException(display(r.file) + ":" + (line > 0 ? Long.toString(line) : "byte " + r.offset) + ": " + r.what, r);
  }
}
