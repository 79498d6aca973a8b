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
  void everyRowOncePerEpochAndBatchesNearTheBatchSize() {
    int[] partitionRows = {37, 41, 0, 29};
    int total = Arrays.stream(partitionRows).sum();
    BatchSampler s = new BatchSampler(9, total, 10);
    assertEquals(11, s.stepsPerEpoch());
    for (long epoch = 0; epoch < 3; epoch++) {
      for (int p = 0; p < partitionRows.length; p++) {
        int[] count = new int[partitionRows[p]];
        for (long j = 0; j < s.stepsPerEpoch(); j++) {
          for (int r : s.rows(p, partitionRows[p], epoch * s.stepsPerEpoch() + j)) count[r]++;
        }
        for (int c : count) assertEquals(1, c);
      }
    }
    for (long k = 0; k < 11; k++) {
      int b = 0;
      for (int p = 0; p < partitionRows.length; p++) b += s.rows(p, partitionRows[p], k).length;
      assertTrue(b >= 8 && b <= 10, "batch " + b);
    }
  }

  @Test
  void epochsAreShuffledDifferentlyAndSeedsMatter() {
    BatchSampler s = new BatchSampler(1, 100, 10);
    assertFalse(Arrays.equals(s.rows(0, 100, 0), s.rows(0, 100, 10)));
    assertFalse(Arrays.equals(s.rows(0, 100, 0), new BatchSampler(2, 100, 10).rows(0, 100, 0)));
    assertArrayEquals(s.rows(3, 100, 17), new BatchSampler(1, 100, 10).rows(3, 100, 17));
  }
}
