package io.adaspark.sweep;

import io.adaspark.metrics.CohortParts;
import io.adaspark.metrics.DriverLog;
import io.adaspark.metrics.RunIdentity;
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
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * The work directory of a sweep in progress, {@code <output>/.<job>.work/}: each finished cohort
 * is committed as {@code parts/<cohort>.rows/} (its metric and run rows as Parquet, see
 * {@link CohortParts}) and then {@code parts/<cohort>.bin} (the {@link CommittedRun} summaries:
 * the commit itself); {@code checkpoints/<cohort>.ckpt} holds the latest checkpoint of each
 * unfinished one, {@code rungs/<step>.bin} the decision of each rung a multi-fidelity sweep has
 * taken. Every file is written beside its final name and renamed into place, so a file that
 * exists is complete (a killed driver leaves at most a stray {@code .tmp}); a {@code .bin} whose
 * rows are missing counts as not committed. Java serialization: a work directory is only read by
 * the same adaspark build (an older build's {@code .bin} is skipped, its runs retrained).
 */
final class PartStore {
  private final FileSystem fs;
  private final Path dir;

  private String job = "";
  private Map<String, RunIdentity> identities = Map.of();
  private java.util.Set<Long> keepSteps = java.util.Set.of();

  PartStore(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /**
   * What {@link #commitCohort} writes and keeps: the job's name and each run's identity (columns
   * of the parts' rows), and the steps whose rows a {@link CommittedRun} summary keeps besides its
   * final evaluation — the rung steps of a multi-fidelity sweep, whose decisions need them.
   */
  PartStore rows(String job, Map<String, RunIdentity> identities, java.util.Set<Long> keepSteps) {
    this.job = job;
    this.identities = identities;
    this.keepSteps = keepSteps;
    return this;
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

  /**
   * Commits a finished cohort: its rows to {@code parts/<cohort>.rows/}, then its summaries to
   * {@code parts/<cohort>.bin}; deletes its checkpoint. Returns the summaries, all the caller
   * needs to keep of the cohort (its {@code results} may be dropped).
   */
  List<CommittedRun> commitCohort(String cohortId, List<RunResult> results) {
    Path parts = new Path(dir, "parts");
    Path rows = rowsDir(parts, cohortId);
    List<CommittedRun> summaries = new ArrayList<>();
    for (RunResult r : results) summaries.add(CommittedRun.of(r, cohortId, rows.toString(), keepSteps));
    try {
      CohortParts.writeCohort(fs, rows, job, results, identities);
      writeAtomically(new Path(parts, cohortId + ".bin"), new ArrayList<>(summaries));
      Path ck = checkpointPath(cohortId);
      if (fs.exists(ck)) fs.delete(ck, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return summaries;
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

  static Path rowsDir(Path partsDir, String part) {
    return new Path(partsDir, part + ".rows");
  }

  /**
   * The runs committed under {@code partsDir}, by run id, each with the location of its rows
   * (unreadable files, and summaries whose rows are missing, are skipped).
   */
  static Map<String, CommittedRun> committed(FileSystem fs, Path partsDir) throws IOException {
    Map<String, CommittedRun> out = new LinkedHashMap<>();
    if (!fs.exists(partsDir)) return out;
    for (FileStatus st : fs.listStatus(partsDir)) {
      if (!st.getPath().getName().endsWith(".bin")) continue;
      Object o = read(fs, st.getPath());
      if (o instanceof List<?> list) {
        for (Object r : list) {
          if (!(r instanceof CommittedRun c)) continue;
          Path rows = rowsDir(partsDir, c.part());
          if (!fs.exists(new Path(rows, CohortParts.METRICS_FILE)) || !fs.exists(new Path(rows, CohortParts.RUNS_FILE))) {
            continue;
          }
          out.put(c.runId(), c.at(fs.makeQualified(rows).toString()));
        }
      }
    }
    return out;
  }

  Map<String, CommittedRun> committed() throws IOException {
    return committed(fs, new Path(dir, "parts"));
  }

  /**
   * Puts the committed results of {@code runs} into {@code partsDir} of a job's final output
   * (inside its temporary directory, before the commit): every part they come from (moved from
   * this work directory, which is deleted after the commit; copied from a previous final output,
   * which must stay whole until the new one replaces it) and {@code all.bin} with every summary,
   * so that {@code --resume} after a complete sweep retrains nothing.
   */
  void publish(Path partsDir, List<CommittedRun> runs) throws IOException {
    fs.mkdirs(partsDir);
    Map<String, String> moved = new LinkedHashMap<>();
    String work = fs.makeQualified(dir).toString() + "/";
    for (CommittedRun r : runs) {
      String before = moved.putIfAbsent(r.part(), r.rowsDir());
      if (before != null) {
        if (!before.equals(r.rowsDir())) throw new IOException("two parts named " + r.part() + ": " + before
            + " and " + r.rowsDir());
        continue;
      }
      Path src = new Path(r.rowsDir());
      Path dst = rowsDir(partsDir, r.part());
      if (r.rowsDir().startsWith(work)) {
        if (!fs.rename(src, dst)) throw new IOException("cannot move " + src + " to " + dst);
      } else if (!FileUtil.copy(fs, src, fs, dst, false, fs.getConf())) {
        throw new IOException("cannot copy " + src + " to " + dst);
      }
    }
    writeAtomically(new Path(partsDir, "all.bin"), new ArrayList<>(runs));
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
