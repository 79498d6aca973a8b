package io.adaspark.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.stat.SummarizerBuffer;
import scala.Tuple2;

/**
 * What one partition of the loader's shuffle output holds, computed from its chunks: the
 * content measures a validating scan would give ({@link ScanStats}: rows, non-zeros, content
 * hash, each label with the smallest identity it occurs at, the rows' vector sizes) and, for
 * a training partition, MLlib's {@link SummarizerBuffer} over its rows in identity order (the
 * standardization statistics, merged in partition order on the driver).
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
  SummarizerBuffer summary;

  /**
   * @param content measure the content (else only the summary)
   * @param summarize also the standardization statistics of the rows
   */
  static ChunkStats of(Iterator<Tuple2<Integer, byte[]>> chunks, boolean content, boolean summarize) {
    ChunkStats s = new ChunkStats();
    Chunk.Merge rows = BlockBuilder.merge(chunks);
    SummarizerBuffer sum = summarize ? DatasetLoader.newBuffer() : null;
    double[] buf = null;
    DenseVector dv = null;
    int size = -1;
    while (rows.next()) {
      Chunk c = rows.chunk;
      int r = rows.row;
      int a = c.start(r);
      int e = c.end(r);
      if (c.size != size) {
        if (size >= 0) sum = null; // a size error, reported from the sizes
        size = c.size;
        buf = new double[size];
        dv = new DenseVector(buf);
      }
      if (content) s.add(c, r, a, e);
      if (sum != null) {
        // The vectors the rows used to be (dense, or sparse without zeros): MLlib's summarizer
        // sees their non-zeros in index order either way.
        if (c.ptr == null) {
          System.arraycopy(c.vals, a, buf, 0, size);
          sum.add(dv);
        } else {
          sum.add(new SparseVector(size, Arrays.copyOfRange(c.idx, a, e), Arrays.copyOfRange(c.vals, a, e)));
        }
      }
    }
    s.summary = sum;
    return s;
  }

  /** One row, hashed exactly as {@link ScanStats#add} does. */
  private void add(Chunk c, int r, int a, int e) {
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
      Long at = labels.get(l);
      if (at == null || id < at) labels.put(l, id);
      h = Mix.mix64(Double.doubleToLongBits(l));
    }
    for (int k = a; k < e; k++) {
      double v = c.vals[k];
      if (v != 0) {
        h = Mix.mix(h, c.index(k, a), Double.doubleToLongBits(v));
        nonZeros++;
      }
    }
    Long at = sizes.get(c.size);
    if (at == null || id < at) sizes.put(c.size, id);
    hash += h;
    rows++;
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
