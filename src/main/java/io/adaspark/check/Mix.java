package io.adaspark.check;

/** SplitMix64-style mixing: stable 64-bit hashes for row identities, splits and seeds. */
public final class Mix {
  private Mix() {}

  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Mixes several values into one hash, order-sensitive. */
  public static long mix(long... values) {
    long h = 0x9e3779b97f4a7c15L;
    for (long v : values) h = mix64(h ^ mix64(v + 0x9e3779b97f4a7c15L));
    return h;
  }

  /** {@code mix64(j + golden ratio)}: the fixed part of {@link #cell} for feature index j. */
  public static long index(int j) {
    return mix64(j + 0x9e3779b97f4a7c15L);
  }

  /**
   * The content hash's term for one non-zero feature value: {@code mix64(bits(v) ^ index(j))}.
   * A row's terms are summed (mod 2^64), so each term is independent of the others — no chain
   * of dependent multiplications through the row — and the sum is then mixed with the label
   * by {@link #row}. {@code indexHash} is {@link #index}(j).
   */
  public static long cell(long indexHash, double v) {
    return mix64(Double.doubleToLongBits(v) ^ indexHash);
  }

  /**
   * A row's content hash from its label's hash and the sum of its {@link #cell} terms; the
   * dataset's hash is the sum of its rows' (mod 2^64). Mixing the row's sum (rather than
   * adding the cells to the total directly) ties each value to its row: moving a value to
   * another row changes the hash.
   */
  public static long row(long labelHash, long cells) {
    return mix64(labelHash ^ mix64(cells + 0x9e3779b97f4a7c15L));
  }

  /** A uniform double in [0, 1) from a hash (53 high bits). */
  public static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
