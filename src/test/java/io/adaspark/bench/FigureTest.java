package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Figure#fromRounds}: the round with the median ratio, in the figure's own direction. */
class FigureTest {
  @Test
  void fasterTakesTheRoundWithTheMedianOfAnchorOverAdaspark() {
    Figure f = new Figure("x", "t", "a", "b", "s", Figure.Kind.FASTER, 1.5, "cmd");
    // ratios anchor/adaspark: 3, 1.5, 0.75 -> median 1.5, round 1
    assertEquals(1, f.fromRounds(new double[] {1, 2, 4}, new double[] {3, 3, 3}));
    assertEquals(2.0, f.adaspark);
    assertEquals(3.0, f.anchor);
    assertEquals(List.of(3.0, 1.5, 0.75), f.detail.get("ratio_per_round"));
  }

  @Test
  void withinTakesTheRoundWithTheMedianOfAdasparkOverAnchor() {
    Figure f = new Figure("x", "t", "a", "b", "s", Figure.Kind.WITHIN, 2.5, "cmd");
    // ratios adaspark/anchor: 4, 1, 2 -> median 2, round 2
    assertEquals(2, f.fromRounds(new double[] {8, 2, 6}, new double[] {2, 2, 3}));
    assertEquals(6.0, f.adaspark);
    assertEquals(3.0, f.anchor);
    assertEquals(List.of(4.0, 1.0, 2.0), f.detail.get("ratio_per_round"));
  }
}
