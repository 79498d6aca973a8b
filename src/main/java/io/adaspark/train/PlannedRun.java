package io.adaspark.train;

import io.adaspark.model.ModelConfig;
import java.io.Serializable;

/**
 * A run to train: its stable id, its optimizer/schedule/clipping, its seed, and the model and
 * training variant it belongs to (model grids and batch-size grids give several).
 */
public record PlannedRun(String runId, RunSpec spec, long seed, ModelConfig model, TrainingSpec training)
    implements Serializable {

  /** A run trained directly by a {@link Trainer} (which has the model and training itself). */
  public PlannedRun(String runId, RunSpec spec, long seed) {
    this(runId, spec, seed, null, null);
  }
}
