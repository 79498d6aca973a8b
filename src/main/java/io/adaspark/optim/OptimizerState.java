package io.adaspark.optim;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of an optimizer's state (the torch {@code state_dict} analogue): the step count,
 * named per-parameter buffers and named scalars (e.g. NAdam's running product of mu).
 * Instances hold their own copies; maps are sorted by name so serialized forms are stable.
 */
public record OptimizerState(String type, long step, Map<String, double[]> buffers,
                             Map<String, Double> scalars) implements Serializable {
  public OptimizerState {
    TreeMap<String, double[]> b = new TreeMap<>();
    buffers.forEach((k, v) -> b.put(k, v.clone()));
    buffers = b;
    scalars = new TreeMap<>(scalars);
  }
}
