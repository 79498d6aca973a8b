package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrBlockTest {
  @Test
  void fromDenseKeepsOnlyNonZeros() {
    DenseBlock dense = new DenseBlock(3, 4, new double[] {0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, -4},
        new double[] {1, 0, 1});
    CsrBlock csr = CsrBlock.fromDense(dense);
    assertArrayEquals(new int[] {0, 2, 2, 4}, csr.indptr());
    assertArrayEquals(new int[] {1, 3, 0, 3}, csr.indices());
    assertArrayEquals(new double[] {1, 2, 3, -4}, csr.values());
    assertEquals(4, csr.nnz());
    assertEquals(1.0, csr.label(2));
    assertEquals(4L * (4 + 4) + 8L * (4 + 3), csr.sizeInBytes());
  }

  @Test
  void rejectsMalformedStructure() {
    double[] y = {0, 1};
    String m = assertThrows(IllegalArgumentException.class,
        () -> new CsrBlock(2, 5, new int[] {0, 1, 2}, new int[] {0, 5}, new double[] {1, 1}, y)).getMessage();
    assertTrue(m.contains("index 5"), m);
    assertThrows(IllegalArgumentException.class,
        () -> new CsrBlock(2, 5, new int[] {0, 2, 1}, new int[] {0, 1}, new double[] {1, 1}, y));
    assertThrows(IllegalArgumentException.class,
        () -> new CsrBlock(2, 5, new int[] {0, 1, 3}, new int[] {0, 1}, new double[] {1, 1}, y));
    assertThrows(IllegalArgumentException.class,
        () -> new CsrBlock(2, 5, new int[] {0, 2}, new int[] {0, 1}, new double[] {1, 1}, y));
  }
}
