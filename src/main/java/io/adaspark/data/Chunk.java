package io.adaspark.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A bundle of input rows bound for one reduce partition: the loader's shuffle record. The map
 * side packs a few thousand rows into primitive arrays and sends them as one {@code byte[]}
 * (see {@link #encode}), so the shuffle moves bulk bytes — not one object pair per row —
 * whatever {@code spark.serializer} is.
 *
 * <p>Rows keep their raw form: identity, the label as read (a number, or a string when the
 * labels are strings; the label coding is applied when the block is built) and the features.
 * Dense rows ({@code ptr == null}): row i at {@code vals[i*size .. i*size+size)}, zeros (and
 * −0.0) kept. Otherwise row i's values are {@code vals[ptr[i] .. ptr[i+1])} at feature indices
 * {@code idx[...]}: sparse input rows without their zeros, dense rows of a mixed chunk with
 * every index (zeros kept). Every consumer (blocks, content hash, standardization statistics)
 * treats the two forms alike. Within a chunk, rows are in increasing identity order.
 */
final class Chunk implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * Rows per chunk at most, and values: a chunk's arrays and bytes stay under 512 kB, half the
   * smallest G1 region, so no chunk is a humongous object. Humongous allocations go straight
   * to old regions and each one may start a concurrent marking cycle: with 2 MB chunks, a load
   * in a JVM whose G1 had learnt a long marking time (adaptive IHOP threshold 0, after a phase
   * with a large live heap) ran 15-20 marking cycles and took 5.8 s instead of 2.9 s (GC log and
   * JFR G1AdaptiveIHOP events of benchmark row 7). Rows stay in identity order within a
   * partition whatever the chunk size, so no result depends on it.
   */
  static final int MAX_ROWS = 4096;
  static final int MAX_VALUES = 1 << 15;
  /** Values a map task buffers over all its 2P open chunks (32 MB of doubles). */
  static final int TASK_VALUES = 1 << 22;

  int n;
  long[] ids;
  double[] labels;
  /** Raw string labels, or null. */
  String[] strings;
  /** The rows' vector size (their feature count d). */
  int size;
  /** Null when every row is dense; else n+1 offsets into idx / vals. */
  int[] ptr;
  int[] idx;
  double[] vals;

  int start(int row) { return ptr == null ? row * size : ptr[row]; }

  int end(int row) { return ptr == null ? (row + 1) * size : ptr[row + 1]; }

  /** The feature index of value k of a row starting at {@code start}. */
  int index(int k, int start) { return ptr == null ? k - start : idx[k]; }

  /** Values held (dense: n·size). */
  int values() { return ptr == null ? n * size : ptr[n]; }

  /** Little-endian bytes: n, size, flags, ids, labels, [ptr, idx], vals, [strings]. */
  byte[] encode() {
    int nv = values();
    long bytes = 12L + 16L * n + 8L * nv + (ptr != null ? 4L * (n + 1) + 4L * nv : 0);
    byte[][] s = null;
    if (strings != null) {
      s = new byte[n][];
      for (int i = 0; i < n; i++) {
        s[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        bytes += 4 + s[i].length;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n).putInt(size).putInt((ptr != null ? 1 : 0) | (strings != null ? 2 : 0));
    b.asLongBuffer().put(ids, 0, n);
    b.position(b.position() + 8 * n);
    b.asDoubleBuffer().put(labels, 0, n);
    b.position(b.position() + 8 * n);
    if (ptr != null) {
      b.asIntBuffer().put(ptr, 0, n + 1);
      b.position(b.position() + 4 * (n + 1));
      b.asIntBuffer().put(idx, 0, nv);
      b.position(b.position() + 4 * nv);
    }
    b.asDoubleBuffer().put(vals, 0, nv);
    b.position(b.position() + 8 * nv);
    if (s != null) {
      for (byte[] t : s) b.putInt(t.length).put(t);
    }
    return b.array();
  }

  static Chunk decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Chunk c = new Chunk();
    c.n = b.getInt();
    c.size = b.getInt();
    int flags = b.getInt();
    int n = c.n;
    c.ids = new long[n];
    b.asLongBuffer().get(c.ids);
    b.position(b.position() + 8 * n);
    c.labels = new double[n];
    b.asDoubleBuffer().get(c.labels);
    b.position(b.position() + 8 * n);
    int nv = n * c.size;
    if ((flags & 1) != 0) {
      c.ptr = new int[n + 1];
      b.asIntBuffer().get(c.ptr);
      b.position(b.position() + 4 * (n + 1));
      nv = c.ptr[n];
      c.idx = new int[nv];
      b.asIntBuffer().get(c.idx);
      b.position(b.position() + 4 * nv);
    }
    c.vals = new double[nv];
    b.asDoubleBuffer().get(c.vals);
    b.position(b.position() + 8 * nv);
    if ((flags & 2) != 0) {
      c.strings = new String[n];
      for (int i = 0; i < n; i++) {
        int len = b.getInt();
        c.strings[i] = new String(bytes, b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
      }
    }
    return c;
  }

  /** Collects rows of one size into a chunk (on the map side). */
  static final class Writer {
    private final int maxValues;
    private Chunk c;
    private int nv;

    /** @param maxValues a chunk is sent when it holds this many values (or MAX_ROWS rows) */
    Writer(int maxValues) {
      this.maxValues = maxValues;
    }

    boolean isEmpty() { return c == null || c.n == 0; }

    /** The size of the rows collected so far, or -1. */
    int size() { return isEmpty() ? -1 : c.size; }

    boolean full() { return c != null && (c.n >= MAX_ROWS || nv >= maxValues); }

    /**
     * Adds a parsed row of this vector size: {@code p.dense}, or {@code p.idx}/{@code p.val}
     * (its zeros dropped). The caller emits the chunk first when {@link #size()} differs.
     */
    void add(long id, TextParsers.Parsed p, int size) {
      if (c == null) {
        c = new Chunk();
        c.ids = new long[64];
        c.labels = new double[64];
        c.vals = new double[(int) Math.max(64, Math.min(maxValues, 64L * size))];
      }
      if (c.n == 0) c.size = size;
      int n = c.n;
      if (n == c.ids.length) {
        c.ids = Arrays.copyOf(c.ids, 2 * n);
        c.labels = Arrays.copyOf(c.labels, 2 * n);
        if (c.strings != null) c.strings = Arrays.copyOf(c.strings, 2 * n);
        if (c.ptr != null) c.ptr = Arrays.copyOf(c.ptr, 2 * n + 1);
      }
      c.ids[n] = id;
      c.labels[n] = p.label;
      if (p.stringLabel != null) {
        if (c.strings == null) c.strings = new String[c.ids.length];
        c.strings[n] = p.stringLabel;
      }
      if (p.dense != null) {
        if (c.ptr == null) {
          ensure(size);
          System.arraycopy(p.dense, 0, c.vals, nv, size);
          nv += size;
        } else {
          ensure(size);
          for (int j = 0; j < size; j++) {
            c.idx[nv] = j;
            c.vals[nv++] = p.dense[j];
          }
          c.ptr[n + 1] = nv;
        }
      } else {
        if (c.ptr == null) general();
        int nz = 0;
        for (int k = 0; k < p.nnz; k++) if (p.val[k] != 0) nz++;
        ensure(nz);
        for (int k = 0; k < p.nnz; k++) {
          if (p.val[k] != 0) {
            c.idx[nv] = p.idx[k];
            c.vals[nv++] = p.val[k];
          }
        }
        c.ptr[n + 1] = nv;
      }
      c.n = n + 1;
    }

    /** From all-dense to indexed rows (a sparse row arrived). */
    private void general() {
      int n = c.n;
      c.ptr = new int[c.ids.length + 1];
      c.idx = new int[c.vals.length];
      for (int i = 0; i < n; i++) {
        c.ptr[i + 1] = (i + 1) * c.size;
        for (int j = 0; j < c.size; j++) c.idx[i * c.size + j] = j;
      }
    }

    private void ensure(int more) {
      long need = (long) nv + more;
      if (need > c.vals.length) {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(need, 2L * c.vals.length));
        c.vals = Arrays.copyOf(c.vals, cap);
        if (c.idx != null) c.idx = Arrays.copyOf(c.idx, cap);
      }
    }

    /**
     * The collected rows, sorted by identity, as bytes; the writer starts over, keeping its
     * arrays (encoded from their first n / values entries, never trimmed).
     */
    byte[] take() {
      byte[] bytes = sorted(c).encode();
      c.n = 0;
      c.ptr = null;
      c.idx = null;
      c.strings = null;
      nv = 0;
      return bytes;
    }
  }

  /** The chunk with its rows in identity order (input splits usually give them in order already). */
  static Chunk sorted(Chunk c) {
    boolean inOrder = true;
    for (int i = 1; i < c.n && inOrder; i++) inOrder = c.ids[i - 1] < c.ids[i];
    if (inOrder) return c;
    Integer[] order = new Integer[c.n];
    for (int i = 0; i < c.n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Long.compare(c.ids[a], c.ids[b]));
    Chunk s = new Chunk();
    s.n = c.n;
    s.size = c.size;
    s.ids = new long[c.n];
    s.labels = new double[c.n];
    s.strings = c.strings == null ? null : new String[c.n];
    s.ptr = new int[c.n + 1];
    s.idx = new int[c.values()];
    s.vals = new double[c.values()];
    int q = 0;
    for (int i = 0; i < c.n; i++) {
      int r = order[i];
      s.ids[i] = c.ids[r];
      s.labels[i] = c.labels[r];
      if (s.strings != null) s.strings[i] = c.strings[r];
      int a = c.start(r);
      for (int k = a; k < c.end(r); k++) {
        s.idx[q] = c.index(k, a);
        s.vals[q++] = c.vals[k];
      }
      s.ptr[i + 1] = q;
    }
    return s;
  }

  /**
   * The rows of several chunks in identity order: a merge of the (each sorted) chunks. After
   * {@link #next()}, {@link #chunk} and {@link #row} name the current row.
   */
  static final class Merge {
    private final Chunk[] chunks;
    private final int[] pos;
    private final int[] heap;
    private int size;
    Chunk chunk;
    int row;
    /** Rows and values over all chunks. */
    final long rows;
    final long values;

    Merge(List<Chunk> list) {
      chunks = list.toArray(new Chunk[0]);
      pos = new int[chunks.length];
      heap = new int[chunks.length];
      long r = 0;
      long v = 0;
      for (int c = 0; c < chunks.length; c++) {
        r += chunks[c].n;
        v += chunks[c].values();
        if (chunks[c].n > 0) heap[size++] = c;
      }
      rows = r;
      values = v;
      for (int i = size / 2 - 1; i >= 0; i--) down(i);
    }

    private long key(int c) { return chunks[c].ids[pos[c]]; }

    private void down(int i) {
      int c = heap[i];
      long k = key(c);
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) break;
        int m = l;
        if (l + 1 < size && key(heap[l + 1]) < key(heap[l])) m = l + 1;
        if (key(heap[m]) >= k) break;
        heap[i] = heap[m];
        i = m;
      }
      heap[i] = c;
    }

    /** Moves to the next row in identity order; false at the end. */
    boolean next() {
      if (chunk != null) {
        int c = heap[0];
        if (++pos[c] == chunks[c].n) heap[0] = heap[--size];
        if (size > 0) down(0);
      }
      if (size == 0) {
        chunk = null;
        return false;
      }
      int c = heap[0];
      chunk = chunks[c];
      row = pos[c];
      return true;
    }
  }
}
