package io.adaspark.data;

import io.adaspark.check.Mix;

import java.io.Serializable;
import java.util.List;
import java.util.TreeMap;

/**
 * What one partition of the loader's shuffle output holds, computed from its chunks: the
 * content measures a validating scan would give ({@link ScanStats}: rows, non-zeros, content
 * hash, each label with the smallest identity it occurs at, the rows' vector sizes) and, for
 * a training partition, the {@link Moments} of its rows in identity order (the standardization
 * statistics — MLlib's summarizer arithmetic — merged in partition order on the driver).
 */
final class ChunkStats implements Serializable {
  private static final long serialVersionUID = 1L;
  long rows;
  long nonZeros;
  long hash;
  /** Label → the smallest identity holding it. */
  final TreeMap<Double, Long> labels = new TreeMap<>();
  final TreeMap<String, Long> strings = new TreeMap<>();
  /** The identity at which a partition's distinct string labels exceeded the limit, or -1. */
  long tooManyStrings = -1;
  /** Vector size → the smallest identity of a row of that size. */
  final TreeMap<Integer, Long> sizes = new TreeMap<>();
  /** Over the rows in identity order; null when not asked for or the sizes disagree. */
  Moments summary;

  /**
   * @param content measure the content (else only the summary)
   * @param summarize also the standardization statistics of the rows
   */
  static ChunkStats of(List<Chunk> list, boolean content, boolean summarize) {
    ChunkStats s = new ChunkStats();
    // The content measures are sums and minima: chunk by chunk, in any order.
    if (content) for (Chunk c : list) s.add(c);
    if (summarize) {
      // The summary depends on the order: rows in identity order.
      Chunk.Merge rows = new Chunk.Merge(list);
      Moments sum = new Moments();
      int size = -1;
      while (rows.next()) {
        Chunk c = rows.chunk;
        if (size >= 0 && c.size != size) {
          sum = null; // a size error, reported from the sizes
          break;
        }
        size = c.size;
        int r = rows.row;
        int a = c.start(r);
        if (c.ptr == null) sum.addDense(c.vals, a, size);
        else sum.addSparse(c.vals, c.idx, a, c.end(r), size);
      }
      s.summary = sum;
    }
    return s;
  }

  /** {@link Mix#index}(j) for each feature index j, computed once per task. */
  private transient long[] indexHash;

  private static long[] indexHashes(int size, long[] have) {
    if (have != null && have.length >= size) return have;
    long[] t = new long[size];
    for (int j = 0; j < size; j++) t[j] = Mix.index(j);
    return t;
  }

  /**
   * The rows of one chunk, each hashed exactly as {@link ScanStats#add} does: the label's hash
   * and the sum of {@link Mix#cell} over the row's non-zeros, combined by {@link Mix#row}. The
   * cells of a row are independent of each other, so the loop over a dense row has no chain of
   * dependent multiplications (the hash used to be one: 4 mix64 per value in sequence).
   */
  private void add(Chunk c) {
    Long atSize = sizes.get(c.size);
    if (c.n > 0 && (atSize == null || c.ids[0] < atSize)) sizes.put(c.size, c.ids[0]);
    double[] seen = new double[8]; // labels met in this chunk: their first row is their smallest id here
    int seenCount = 0;
    indexHash = indexHashes(c.size, indexHash);
    long[] t = indexHash;
    double[] x = c.vals;
    for (int r = 0; r < c.n; r++) {
      long id = c.ids[r];
      long h;
      if (c.strings != null) {
        String l = c.strings[r];
        if (tooManyStrings < 0) {
          Long at = strings.get(l);
          if (at == null || id < at) strings.put(l, id);
          if (strings.size() > DatasetLoader.MAX_CLASSES) tooManyStrings = id;
        }
        h = Mix.mix64(l.hashCode());
      } else {
        double l = c.labels[r];
        boolean known = false;
        for (int q = 0; q < seenCount && !known; q++) known = seen[q] == l;
        if (!known) {
          Long at = labels.get(l);
          if (at == null || id < at) labels.put(l, id);
          if (seenCount < seen.length) seen[seenCount++] = l;
        }
        h = Mix.mix64(Double.doubleToLongBits(l));
      }
      int a = c.start(r);
      int e = c.end(r);
      long cells = 0;
      long nz = 0;
      if (c.ptr == null) {
        // Branch-free, so that C2 can put values in SIMD lanes: the raw bits are the canonical
        // ones (values are finite, validated before they reach a chunk), and nonZero is all
        // ones for v != 0 and 0 for ±0.0 (x | -x has its top bit set iff x != 0).
        for (int k = a, j = 0; k < e; k++, j++) {
          long bits = Double.doubleToRawLongBits(x[k]);
          long mag = bits << 1;
          long nonZero = (mag | -mag) >> 63;
          cells += Mix.mix64(bits ^ t[j]) & nonZero;
          nz -= nonZero;
        }
      } else {
        for (int k = a; k < e; k++) {
          double v = x[k];
          if (v != 0) {
            cells += Mix.cell(t[c.index(k, a)], v);
            nz++;
          }
        }
      }
      nonZeros += nz;
      hash += Mix.row(h, cells);
    }
    rows += c.n;
  }

  /** Adds another partition's measures (the summary is merged separately, in partition order). */
  void merge(ChunkStats o) {
    rows += o.rows;
    nonZeros += o.nonZeros;
    hash += o.hash;
    o.labels.forEach((l, id) -> labels.merge(l, id, Math::min));
    o.strings.forEach((l, id) -> strings.merge(l, id, Math::min));
    o.sizes.forEach((l, id) -> sizes.merge(l, id, Math::min));
    if (o.tooManyStrings >= 0 && (tooManyStrings < 0 || o.tooManyStrings < tooManyStrings)) {
      tooManyStrings = o.tooManyStrings;
    }
  }
}
