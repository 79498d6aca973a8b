package io.adaspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code stateSizePerParam()} of every optimizer option, on the config and on the optimizer. */
class StateSizeTest {
  @Test
  void stateSizes() {
    for (Map.Entry<String, Integer> e : AllConfigs.jsonWithStateSize().entrySet()) {
      OptimizerConfig c = AllConfigs.parse(e.getKey());
      assertEquals(e.getValue(), c.stateSizePerParam(), e.getKey());
      Optimizer o = c.create(10);
      assertEquals(e.getValue(), o.stateSizePerParam(), e.getKey());
      int doubles = o.saveState().buffers().values().stream().mapToInt(b -> b.length).sum();
      assertEquals(10 * e.getValue(), doubles, e.getKey());
    }
  }
}
