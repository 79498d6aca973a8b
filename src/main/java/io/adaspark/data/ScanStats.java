package io.adaspark.data;

import io.adaspark.check.Mix;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What the validating pass learns about one input split (merged on the driver in file order):
 * labels with where each was first seen, rows, non-zeros, largest index, a content hash (a sum
 * of per-row hashes, so independent of partitioning and of the format: LIBSVM, CSV and Parquet
 * holding the same values hash alike). Text inputs get it from their validating scan; for
 * Parquet, which has no scan, the loader builds it from {@link ChunkStats} after the shuffle
 * (a label's location is then the record of its smallest identity).
 */
final class ScanStats implements Serializable {
  private static final long serialVersionUID = 1L;
  final String file;
  final long start;
  /** Locations are Parquet row indexes (else byte offsets of lines). */
  final boolean byRow;
  long rows;
  long nonZeros;
  long hash;
  int maxIndex;
  int features;
  final TreeMap<Double, String[]> labels = new TreeMap<>();
  final TreeMap<String, String[]> stringLabels = new TreeMap<>();

  ScanStats(String file, long start, boolean byRow) {
    this.file = file;
    this.start = start;
    this.byRow = byRow;
  }

  void add(TextParsers.Parsed p, long offset) {
    long h;
    if (p.stringLabel != null) {
      if (!stringLabels.containsKey(p.stringLabel)) {
        if (stringLabels.size() >= DatasetLoader.MAX_CLASSES) {
          throw at(file, offset, "more than " + DatasetLoader.MAX_CLASSES
              + " distinct labels: not a classification dataset");
        }
        stringLabels.put(p.stringLabel, new String[] {file, Long.toString(offset)});
      }
      h = Mix.mix64(p.stringLabel.hashCode());
    } else {
      labels.putIfAbsent(p.label, new String[] {file, Long.toString(offset)});
      h = Mix.mix64(Double.doubleToLongBits(p.label));
    }
    long cells = 0;
    if (p.dense != null) {
      for (int k = 0; k < p.dense.length; k++) {
        if (p.dense[k] != 0) {
          cells += Mix.cell(Mix.index(k), p.dense[k]);
          nonZeros++;
        }
      }
    } else {
      for (int k = 0; k < p.nnz; k++) {
        if (p.val[k] != 0) {
          cells += Mix.cell(Mix.index(p.idx[k]), p.val[k]);
          nonZeros++;
        }
      }
      if (p.nnz > 0) maxIndex = Math.max(maxIndex, p.idx[p.nnz - 1] + 1);
    }
    hash += Mix.row(h, cells);
    rows++;
  }

  RecordException at(String f, long where, String what) {
    return byRow ? RecordException.atRow(f, where, what) : RecordException.atOffset(f, where, what);
  }

  /** The located error for a label first seen at this location. */
  RecordException at(String[] location, String what) {
    return at(location[0], Long.parseLong(location[1]), what);
  }

  /** Adds a later split (labels keep their first location). */
  void merge(ScanStats s) {
    rows += s.rows;
    nonZeros += s.nonZeros;
    hash += s.hash;
    maxIndex = Math.max(maxIndex, s.maxIndex);
    s.labels.forEach(labels::putIfAbsent);
    s.stringLabels.forEach(stringLabels::putIfAbsent);
    if (stringLabels.size() > DatasetLoader.MAX_CLASSES) {
      throw new DataException(Files.display(s.file) + ": more than " + DatasetLoader.MAX_CLASSES
          + " distinct labels: not a classification dataset");
    }
  }
}
