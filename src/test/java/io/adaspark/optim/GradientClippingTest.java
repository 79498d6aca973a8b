package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Value clamp, global-norm scaling (torch's 1e-6), both in order, JSON and validation. */
class GradientClippingTest {
  @Test
  void normClippingScalesByMaxNormOverNormPlusEpsilon() {
    double[] g = {3.0, 4.0};
    double norm = new GradientClipping(1.0, null).apply(g);
    assertEquals(5.0, norm, 0);
    double s = 1.0 / (5.0 + 1e-6);
    assertArrayEquals(new double[] {3 * s, 4 * s}, g, 0);
  }

  @Test
  void normBelowTheLimitIsUntouched() {
    double[] g = {0.3, 0.4};
    new GradientClipping(1.0, null).apply(g);
    assertArrayEquals(new double[] {0.3, 0.4}, g, 0);
  }

  @Test
  void valueClampThenNorm() {
    double[] g = {10.0, -0.5, -7.0};
    double norm = new GradientClipping(2.0, 1.0).apply(g);
    assertEquals(1.5, norm, 1e-15); // norm of the clamped (1, -0.5, -1)
    assertArrayEquals(new double[] {1.0, -0.5, -1.0}, g, 0); // 2/(1.5+1e-6) > 1: no scaling
    double[] h = {10.0, -0.5, -7.0};
    new GradientClipping(null, 1.0).apply(h);
    assertArrayEquals(new double[] {1.0, -0.5, -1.0}, h, 0);
  }

  @Test
  void json() throws Exception {
    GradientClipping c = StrictJson.MAPPER.readValue("{\"max_norm\":1.5}", GradientClipping.class);
    assertEquals(new GradientClipping(1.5, null), c);
    assertEquals("{\"max_norm\":1.5}", StrictJson.MAPPER.writeValueAsString(c));
    Exception e = assertThrows(Exception.class, () -> StrictJson.MAPPER.readValue("{}", GradientClipping.class));
    assertEquals("clipping: max_norm must be given (and/or max_value), got neither",
        StrictJson.rootCause(e).getMessage());
    e = assertThrows(Exception.class, () -> StrictJson.MAPPER.readValue("{\"max_value\":-1}", GradientClipping.class));
    assertEquals("clipping: max_value must be > 0, got -1", StrictJson.rootCause(e).getMessage());
  }
}
