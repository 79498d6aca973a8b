package io.adaspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  @Test
  void feistelIsAPermutationForEverySize() {
    for (int n : new int[] {1, 2, 3, 5, 16, 17, 100, 1000, 4097}) {
      FeistelPermutation p = new FeistelPermutation(n, 12345L + n);
      boolean[] seen = new boolean[n];
      for (int i = 0; i < n; i++) {
        int v = (int) p.at(i);
        assertFalse(seen[v], "n=" + n + " repeats " + v);
        seen[v] = true;
      }
    }
  }

  @Test
  void feistelShufflesAndDependsOnTheKey() {
    FeistelPermutation a = new FeistelPermutation(1000, 1);
    FeistelPermutation b = new FeistelPermutation(1000, 2);
    int fixed = 0;
    int same = 0;
    for (int i = 0; i < 1000; i++) {
      if (a.at(i) == i) fixed++;
      if (a.at(i) == b.at(i)) same++;
    }
    assertTrue(fixed < 20, "fixed points " + fixed);
    assertTrue(same < 20, "agreements " + same);
  }

  @Test
  void everyRowOncePerEpochAndExactlyTheBatchSize() {
    long[] partitionRows = {37, 41, 0, 29};
    BatchSampler s = new BatchSampler(9, partitionRows, 10);
    assertEquals(11, s.stepsPerEpoch());
    for (long epoch = 0; epoch < 3; epoch++) {
      for (int p = 0; p < partitionRows.length; p++) {
        int[] count = new int[(int) partitionRows[p]];
        for (long j = 0; j < s.stepsPerEpoch(); j++) {
          for (int r : s.rows(p, epoch * s.stepsPerEpoch() + j)) count[r]++;
        }
        for (int c : count) assertEquals(1, c);
      }
    }
    for (long k = 0; k < 22; k++) {
      int b = 0;
      for (int p = 0; p < partitionRows.length; p++) b += s.rows(p, k).length;
      assertEquals(k % 11 == 10 ? 7 : 10, b, "step " + k);
      assertEquals(b, s.batchRows(k));
    }
  }

  @Test
  void batchesMixPartitionsInProportion() {
    // Over many steps each partition contributes in proportion to its size (a global shuffle,
    // not a per-partition quota).
    long[] partitionRows = {1000, 3000};
    BatchSampler s = new BatchSampler(3, partitionRows, 100);
    long first = 0;
    for (long k = 0; k < 10; k++) first += s.rows(0, k).length;
    assertTrue(first > 200 && first < 300, "partition 0 rows in 1000 draws: " + first);
  }

  @Test
  void epochsAreShuffledDifferentlyAndSeedsMatter() {
    long[] rows = {100, 50};
    BatchSampler s = new BatchSampler(1, rows, 10);
    assertFalse(Arrays.equals(s.rows(0, 0), s.rows(0, 15)));
    assertFalse(Arrays.equals(s.rows(0, 0), new BatchSampler(2, rows, 10).rows(0, 0)));
    assertArrayEquals(s.rows(1, 17), new BatchSampler(1, rows, 10).rows(1, 17));
  }
}
