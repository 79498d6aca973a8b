package io.adaspark.data;

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

  /** A uniform double in [0, 1) from a hash (53 high bits). */
  public static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
