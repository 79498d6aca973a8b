package io.adaspark.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output directory of one job, written all-or-nothing: everything goes to a hidden
 * temporary directory beside the final one ({@code <output>/.<job>.tmp-<uuid>}), which is renamed
 * into place only when complete. A failed job deletes its temporary directory and leaves any
 * previous result untouched. Works on any Hadoop file system.
 */
public final class JobOutput {
  private final FileSystem fs;
  private final Path finalDir;
  private final Path tmpDir;

  public JobOutput(Configuration conf, String output, String jobName) throws IOException {
    Path parent = new Path(output);
    this.fs = parent.getFileSystem(conf);
    Path qualified = fs.makeQualified(parent);
    this.finalDir = new Path(qualified, jobName);
    this.tmpDir = new Path(qualified, "." + jobName + ".tmp-" + UUID.randomUUID());
  }

  public Path finalDir() { return finalDir; }

  public Path tmpDir() { return tmpDir; }

  /** A path inside the temporary directory, e.g. {@code metrics}. */
  public String tmp(String child) {
    return new Path(tmpDir, child).toString();
  }

  public void writeText(String child, String text) throws IOException {
    try (OutputStream out = fs.create(new Path(tmpDir, child), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Moves the complete result into place, replacing a previous result of the same job. */
  public void commit() throws IOException {
    Path old = null;
    if (fs.exists(finalDir)) {
      old = new Path(finalDir.getParent(), "." + finalDir.getName() + ".old-" + UUID.randomUUID());
      if (!fs.rename(finalDir, old)) throw new IOException("cannot move aside " + finalDir);
    }
    if (!fs.rename(tmpDir, finalDir)) {
      if (old != null) fs.rename(old, finalDir);
      throw new IOException("cannot move " + tmpDir + " to " + finalDir);
    }
    if (old != null) fs.delete(old, true);
  }

  /** Deletes the temporary directory (nothing partial stays behind). */
  public void abort() {
    try {
      fs.delete(tmpDir, true);
      Path parent = tmpDir.getParent();
      FileStatusCheck.deleteIfEmpty(fs, parent);
    } catch (IOException e) {
      System.err.println("warning: could not delete " + tmpDir + ": " + e.getMessage());
    }
  }

  private static final class FileStatusCheck {
    static void deleteIfEmpty(FileSystem fs, Path dir) throws IOException {
      if (fs.exists(dir) && fs.listStatus(dir).length == 0) fs.delete(dir, false);
    }
  }
}
