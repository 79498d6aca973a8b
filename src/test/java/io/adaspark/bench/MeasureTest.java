package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which round's figures a bench row reports: the round with the median ratio. */
class MeasureTest {
  @Test
  void medianIndexPointsAtTheMedianValue() {
    assertEquals(2, Measure.medianIndex(new double[] {2.3, 1.4, 1.9, 2.5, 0.7}));
    assertEquals(0, Measure.medianIndex(new double[] {1.5, 1.3, 1.9}));
    // even counts: the lower median
    assertEquals(3, Measure.medianIndex(new double[] {4.0, 1.0, 3.0, 2.0}));
    assertEquals(0, Measure.medianIndex(new double[] {7.0}));
  }
}
