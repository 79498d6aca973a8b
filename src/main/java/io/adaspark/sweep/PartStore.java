package io.adaspark.sweep;

import io.adaspark.metrics.DriverLog;
import io.adaspark.train.CohortCheckpoint;
import io.adaspark.train.RunResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The work directory of a sweep in progress, {@code <output>/.<job>.work/}: {@code parts/<cohort>.bin}
 * holds the results of each finished cohort, {@code checkpoints/<cohort>.ckpt} the latest
 * checkpoint of each unfinished one, {@code rungs/<step>.bin} the decision of each rung a
 * multi-fidelity sweep has taken. Every file is written beside its final name and renamed
 * into place, so a file that exists is complete (a killed driver leaves at most a stray
 * {@code .tmp}). Java serialization: a work directory is only read by the same adaspark build.
 */
final class PartStore {
  private final FileSystem fs;
  private final Path dir;

  PartStore(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Deletes the work directory (a fresh, non-resumed sweep), except the open driver log of the
   * command running it ({@link DriverLog}), which removes that itself.
   */
  void clear() throws IOException {
    if (!fs.exists(dir)) return;
    if (!fs.exists(new Path(dir, DriverLog.FILE_NAME))) {
      fs.delete(dir, true);
      return;
    }
    for (FileStatus st : fs.listStatus(dir)) {
      if (!st.getPath().getName().equals(DriverLog.FILE_NAME)) fs.delete(st.getPath(), true);
    }
  }

  void commitCohort(String cohortId, List<RunResult> results) {
    writeAtomically(new Path(new Path(dir, "parts"), cohortId + ".bin"), new ArrayList<>(results));
    try {
      Path ck = checkpointPath(cohortId);
      if (fs.exists(ck)) fs.delete(ck, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits a rung decision (after every configuration reached the rung). */
  void commitRung(RungDecision decision) {
    writeAtomically(new Path(new Path(dir, "rungs"), decision.step() + ".bin"), decision);
  }

  /** The committed rung decisions, by step. */
  List<RungDecision> rungDecisions() throws IOException {
    List<RungDecision> out = new ArrayList<>();
    Path rungs = new Path(dir, "rungs");
    if (!fs.exists(rungs)) return out;
    for (FileStatus st : fs.listStatus(rungs)) {
      if (st.getPath().getName().endsWith(".bin") && read(fs, st.getPath()) instanceof RungDecision d) out.add(d);
    }
    out.sort(java.util.Comparator.comparingLong(RungDecision::step));
    return out;
  }

  /** The results committed under {@code partsDir}, by run id (unreadable files are skipped). */
  static Map<String, RunResult> committed(FileSystem fs, Path partsDir) throws IOException {
    Map<String, RunResult> out = new LinkedHashMap<>();
    if (!fs.exists(partsDir)) return out;
    for (FileStatus st : fs.listStatus(partsDir)) {
      if (!st.getPath().getName().endsWith(".bin")) continue;
      Object o = read(fs, st.getPath());
      if (o instanceof List<?> list) {
        for (Object r : list) if (r instanceof RunResult rr) out.put(rr.runId(), rr);
      }
    }
    return out;
  }

  Map<String, RunResult> committed() throws IOException {
    return committed(fs, new Path(dir, "parts"));
  }

  Path checkpointPath(String cohortId) {
    return new Path(new Path(dir, "checkpoints"), cohortId + ".ckpt");
  }

  /** The checkpoint store of one cohort. */
  CohortCheckpoint.Store checkpoints(String cohortId) {
    Path p = checkpointPath(cohortId);
    return new CohortCheckpoint.Store() {
      @Override
      public CohortCheckpoint load() {
        try {
          return fs.exists(p) && read(fs, p) instanceof CohortCheckpoint c ? c : null;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void save(CohortCheckpoint checkpoint) {
        writeAtomically(p, checkpoint);
      }
    };
  }

  void writeAtomically(Path target, Serializable value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
        oos.writeObject(value);
      }
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes.toByteArray());
      }
      if (fs.exists(target)) fs.delete(target, false);
      if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Object read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      byte[] b = in.readAllBytes();
      try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(b))) {
        return ois.readObject();
      } catch (ClassNotFoundException | java.io.ObjectStreamException | java.io.EOFException e) {
        return null;
      }
    }
  }
}
