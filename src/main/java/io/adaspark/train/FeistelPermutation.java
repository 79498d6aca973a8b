package io.adaspark.train;

import io.adaspark.check.Mix;

/**
 * A seeded pseudo-random permutation of {@code [0, n)} evaluated one index at a time, in O(1)
 * time and memory: a 4-round balanced Feistel network over the smallest even power of two
 * {@code >= n}, with cycle walking back into range (at most a few rounds on average, the
 * domain being less than 4n). So a step that needs b rows of an epoch's shuffled order touches
 * b indices, not the whole partition (unlike {@code RDD.sample}, which scans every row).
 */
public final class FeistelPermutation {
  private final long n;
  private final int halfBits;
  private final long mask;
  private final long key;

  public FeistelPermutation(long n, long key) {
    if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
    this.n = n;
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
    bits = Math.max(2, bits + (bits & 1));
    this.halfBits = bits / 2;
    this.mask = (1L << halfBits) - 1;
    this.key = key;
  }

  /** The image of {@code i} (0 &lt;= i &lt; n). */
  public long at(long i) {
    long x = i;
    do {
      x = encrypt(x);
    } while (x >= n);
    return x;
  }

  private long encrypt(long x) {
    long left = x >>> halfBits;
    long right = x & mask;
    for (int round = 0; round < 4; round++) {
      long f = Mix.mix(key, round, right) & mask;
      long next = left ^ f;
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
