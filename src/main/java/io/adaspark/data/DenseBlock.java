package io.adaspark.data;

/**
 * Dense rows: {@code x} is row-major {@code n × d} (row i at {@code x[i*d .. i*d+d)}),
 * {@code y} the n labels. Nothing else of size: n·(d+1)·8 bytes plus headers.
 */
public final class DenseBlock implements DataBlock {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final int d;
  private final double[] x;
  private final double[] y;

  public DenseBlock(int n, int d, double[] x, double[] y) {
    if ((long) n * d != x.length || y.length != n) {
      throw new IllegalArgumentException("DenseBlock: x has " + x.length + " values, y " + y.length
          + ", expected " + ((long) n * d) + " and " + n);
    }
    this.n = n;
    this.d = d;
    this.x = x;
    this.y = y;
  }

  @Override public int numRows() { return n; }
  @Override public int numFeatures() { return d; }
  @Override public double label(int row) { return y[row]; }

  /** Row-major features; shared, not copied. */
  public double[] x() { return x; }

  /** Labels; shared, not copied. */
  public double[] y() { return y; }

  @Override public long sizeInBytes() { return 8L * (x.length + y.length); }
}
