package io.adaspark.data;

/**
 * Sparse rows in compressed sparse row (CSR) form: the non-zeros of row i are
 * {@code values[p]} at feature {@code indices[p]} for {@code p} in
 * {@code [indptr[i], indptr[i+1])}; {@code y} holds the n labels (class indices as doubles).
 * Size: {@code 4·(n+1) + 12·nnz + 8·n} bytes plus headers, independent of the feature count d,
 * so d = 10⁵ or more with a few dozen non-zeros per row is cheap. Rows are never densified by
 * the model kernels.
 */
public final class CsrBlock implements DataBlock {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final int d;
  private final int[] indptr;
  private final int[] indices;
  private final double[] values;
  private final double[] y;

  /**
   * Validates the structure: {@code indptr} has n+1 non-decreasing entries from 0 to nnz,
   * every index lies in {@code [0, d)}.
   */
  public CsrBlock(int n, int d, int[] indptr, int[] indices, double[] values, double[] y) {
    if (indptr.length != n + 1 || y.length != n || indices.length != values.length) {
      throw new IllegalArgumentException("CsrBlock: indptr has " + indptr.length + " entries, y "
          + y.length + ", indices " + indices.length + ", values " + values.length
          + "; expected n+1 = " + (n + 1) + ", n = " + n + " and equal lengths");
    }
    if (indptr[0] != 0 || indptr[n] != indices.length) {
      throw new IllegalArgumentException("CsrBlock: indptr must start at 0 and end at nnz = "
          + indices.length + ", got " + indptr[0] + " .. " + indptr[n]);
    }
    for (int i = 0; i < n; i++) {
      if (indptr[i + 1] < indptr[i]) {
        throw new IllegalArgumentException("CsrBlock: indptr decreases at row " + i);
      }
    }
    for (int p = 0; p < indices.length; p++) {
      if (indices[p] < 0 || indices[p] >= d) {
        throw new IllegalArgumentException("CsrBlock: index " + indices[p] + " at position " + p
            + " outside [0, " + d + ")");
      }
    }
    this.n = n;
    this.d = d;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
    this.y = y;
  }

  @Override public int numRows() { return n; }
  @Override public int numFeatures() { return d; }
  @Override public double label(int row) { return y[row]; }

  /** Row pointers, n+1 entries; shared, not copied. */
  public int[] indptr() { return indptr; }

  /** Feature index of each non-zero; shared, not copied. */
  public int[] indices() { return indices; }

  /** Value of each non-zero; shared, not copied. */
  public double[] values() { return values; }

  /** Labels; shared, not copied. */
  public double[] y() { return y; }

  /** Number of stored non-zeros. */
  public int nnz() { return indices.length; }

  @Override public long sizeInBytes() {
    return 4L * (indptr.length + indices.length) + 8L * (values.length + y.length);
  }

  /** The CSR form of a dense block (zeros dropped); for tests and small conversions. */
  public static CsrBlock fromDense(DenseBlock dense) {
    int n = dense.numRows(), d = dense.numFeatures();
    double[] x = dense.x();
    int nnz = 0;
    for (double v : x) if (v != 0) nnz++;
    int[] indptr = new int[n + 1];
    int[] indices = new int[nnz];
    double[] values = new double[nnz];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < d; l++) {
        double v = x[i * d + l];
        if (v != 0) {
          indices[p] = l;
          values[p++] = v;
        }
      }
      indptr[i + 1] = p;
    }
    return new CsrBlock(n, d, indptr, indices, values, dense.y().clone());
  }
}
