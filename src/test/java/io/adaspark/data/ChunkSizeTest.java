package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The loader's shuffle chunks stay below half the smallest G1 region (512 kB), so that neither
 * a chunk's bytes nor its decoded arrays are humongous objects (see {@link Chunk#MAX_VALUES}),
 * and a full chunk decodes to the rows that went in.
 */
class ChunkSizeTest {
  private static final int HALF_SMALLEST_REGION = 512 * 1024;

  @Test
  void fullDenseChunksStayBelowHalfAG1Region() {
    for (int d : new int[] {1, 3, 20, 100, 784, 5000}) {
      Random rnd = new Random(d);
      Chunk.Writer w = new Chunk.Writer(Chunk.MAX_VALUES);
      int rows = 0;
      double[][] sent = new double[Chunk.MAX_ROWS][];
      while (!w.full()) {
        TextParsers.Parsed p = new TextParsers.Parsed();
        p.label = rows % 2;
        p.dense = rnd.doubles(d).toArray();
        sent[rows] = p.dense;
        w.add(rows, p, d);
        rows++;
      }
      byte[] bytes = w.take();
      assertTrue(bytes.length < HALF_SMALLEST_REGION, "d = " + d + ": a chunk of " + bytes.length + " bytes");
      Chunk c = Chunk.decode(bytes);
      assertEquals(rows, c.n, "d = " + d);
      assertTrue(8L * c.vals.length < HALF_SMALLEST_REGION, "d = " + d + ": " + c.vals.length + " values");
      for (int i = 0; i < rows; i++) {
        assertEquals(i, c.ids[i]);
        assertEquals(i % 2, c.labels[i]);
        double[] row = new double[d];
        System.arraycopy(c.vals, c.start(i), row, 0, d);
        assertArrayEquals(sent[i], row, 0.0, "d = " + d + ", row " + i);
      }
    }
  }

  @Test
  void fullSparseChunksStayBelowHalfAG1Region() {
    Random rnd = new Random(7);
    int d = 100_000, nnz = 50;
    Chunk.Writer w = new Chunk.Writer(Chunk.MAX_VALUES);
    int rows = 0;
    while (!w.full()) {
      TextParsers.Parsed p = new TextParsers.Parsed();
      p.idx = rnd.ints(0, d).distinct().limit(nnz).sorted().toArray();
      p.val = rnd.doubles(nnz).map(v -> v + 1).toArray();
      p.nnz = nnz;
      w.add(rows++, p, d);
    }
    byte[] bytes = w.take();
    assertTrue(bytes.length < HALF_SMALLEST_REGION, "a chunk of " + bytes.length + " bytes");
    Chunk c = Chunk.decode(bytes);
    assertEquals(rows, c.n);
    assertEquals(rows * nnz, c.values());
  }
}
