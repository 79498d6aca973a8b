package io.adaspark.data;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
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
    List<Chunk> list = BlockBuilder.decode(chunks);
    // The content measures are sums and minima: chunk by chunk, in any order.
    if (content) for (Chunk c : list) s.add(c);
    if (summarize) {
      // The summary depends on the order: rows in identity order.
      Chunk.Merge rows = new Chunk.Merge(list);
      SummarizerBuffer sum = DatasetLoader.newBuffer();
      NonZeros nonZeros = new NonZeros();
      int size = -1;
      while (rows.next()) {
        Chunk c = rows.chunk;
        if (size >= 0 && c.size != size) {
          sum = null; // a size error, reported from the sizes
          break;
        }
        size = c.size;
        int r = rows.row;
        // MLlib's add(vector) is add(vector.nonZeroIterator, size, 1): the row's non-zeros in
        // index order, here straight from the chunk (no vector, no boxed tuples).
        sum.add(nonZeros.of(c, c.start(r), c.end(r)), size, 1.0);
      }
      s.summary = sum;
    }
    return s;
  }

  /** Mix.mix64(j + golden ratio) for each feature index j: the fixed part of Mix.mix(h, j, v). */
  private transient long[] indexHash;

  private static long[] indexHashes(int size, long[] have) {
    if (have != null && have.length >= size) return have;
    long[] t = new long[size];
    for (int j = 0; j < size; j++) t[j] = Mix.mix64(j + GOLDEN);
    return t;
  }

  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  /** {@code Mix.mix(h, j, bits)}, unrolled, with mix64(j + GOLDEN) looked up. */
  private static long mix(long h, long indexHash, long bits) {
    long x = Mix.mix64(GOLDEN ^ Mix.mix64(h + GOLDEN));
    x = Mix.mix64(x ^ indexHash);
    return Mix.mix64(x ^ Mix.mix64(bits + GOLDEN));
  }

  /**
   * The rows of one chunk, each hashed exactly as {@link ScanStats#add} does (label, then
   * {@code Mix.mix(h, j, bits)} for each non-zero). Dense rows are hashed four at a time: each
   * row's hash is a long chain of dependent multiplications, and four independent chains keep
   * the processor busy.
   */
  private void add(Chunk c) {
    Long atSize = sizes.get(c.size);
    if (c.n > 0 && (atSize == null || c.ids[0] < atSize)) sizes.put(c.size, c.ids[0]);
    long[] h = new long[c.n];
    double[] seen = new double[8]; // labels met in this chunk: their first row is their smallest id here
    int seenCount = 0;
    for (int r = 0; r < c.n; r++) {
      long id = c.ids[r];
      if (c.strings != null) {
        String l = c.strings[r];
        if (tooManyStrings < 0) {
          Long at = strings.get(l);
          if (at == null || id < at) strings.put(l, id);
          if (strings.size() > DatasetLoader.MAX_CLASSES) tooManyStrings = id;
        }
        h[r] = Mix.mix64(l.hashCode());
      } else {
        double l = c.labels[r];
        boolean known = false;
        for (int q = 0; q < seenCount && !known; q++) known = seen[q] == l;
        if (!known) {
          Long at = labels.get(l);
          if (at == null || id < at) labels.put(l, id);
          if (seenCount < seen.length) seen[seenCount++] = l;
        }
        h[r] = Mix.mix64(Double.doubleToLongBits(l));
      }
    }
    indexHash = indexHashes(c.size, indexHash);
    long[] t = indexHash;
    double[] x = c.vals;
    int r = 0;
    if (c.ptr == null) {
      int d = c.size;
      for (; r + 4 <= c.n; r += 4) {
        long h0 = h[r], h1 = h[r + 1], h2 = h[r + 2], h3 = h[r + 3];
        int o = r * d;
        long nz = 0;
        for (int j = 0; j < d; j++, o++) {
          double v0 = x[o], v1 = x[o + d], v2 = x[o + 2 * d], v3 = x[o + 3 * d];
          if (v0 != 0) {
            h0 = mix(h0, t[j], Double.doubleToLongBits(v0));
            nz++;
          }
          if (v1 != 0) {
            h1 = mix(h1, t[j], Double.doubleToLongBits(v1));
            nz++;
          }
          if (v2 != 0) {
            h2 = mix(h2, t[j], Double.doubleToLongBits(v2));
            nz++;
          }
          if (v3 != 0) {
            h3 = mix(h3, t[j], Double.doubleToLongBits(v3));
            nz++;
          }
        }
        nonZeros += nz;
        hash += h0 + h1 + h2 + h3;
      }
    }
    for (; r < c.n; r++) {
      int a = c.start(r);
      int e = c.end(r);
      long hr = h[r];
      for (int k = a; k < e; k++) {
        double v = x[k];
        if (v != 0) {
          hr = mix(hr, t[c.index(k, a)], Double.doubleToLongBits(v));
          nonZeros++;
        }
      }
      hash += hr;
    }
    rows += c.n;
  }

  /**
   * A row's non-zeros as MLlib's {@code Vector.nonZeroIterator} gives them: (index, value)
   * for each value != 0 in index order, as specialized (unboxed) tuples. Reused row by row.
   */
  static final class NonZeros extends scala.collection.AbstractIterator<Tuple2<Object, Object>> {
    private Chunk c;
    private int start;
    private int end;
    private int k;

    NonZeros of(Chunk chunk, int from, int to) {
      c = chunk;
      start = from;
      end = to;
      k = from;
      skipZeros();
      return this;
    }

    private void skipZeros() {
      while (k < end && c.vals[k] == 0) k++;
    }

    @Override public boolean hasNext() { return k < end; }

    /** MLlib's add loops with foreach: a call site of its own, so the JIT can inline its body. */
    @Override public <U> void foreach(scala.Function1<Tuple2<Object, Object>, U> f) {
      Chunk ch = c;
      double[] v = ch.vals;
      if (ch.ptr == null) {
        for (; k < end; k++) if (v[k] != 0) f.apply(new scala.Tuple2$mcID$sp(k - start, v[k]));
      } else {
        int[] idx = ch.idx;
        for (; k < end; k++) if (v[k] != 0) f.apply(new scala.Tuple2$mcID$sp(idx[k], v[k]));
      }
    }

    @Override public Tuple2<Object, Object> next() {
      if (k >= end) throw new java.util.NoSuchElementException();
      Tuple2<Object, Object> t = new scala.Tuple2$mcID$sp(c.index(k, start), c.vals[k]);
      k++;
      skipZeros();
      return t;
    }
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
