package io.adaspark.data;

import java.io.Serializable;

/**
 * The rows of one partition, converted once and cached: features plus labels, no per-row
 * objects. Labels are class indices 0..K-1 stored as doubles (binary: 0 or 1).
 */
public interface DataBlock extends Serializable {
  int numRows();

  int numFeatures();

  double label(int row);

  /** Bytes held by the arrays of this block (for the manifest and the memory budget). */
  long sizeInBytes();
}
