package io.adaspark.train;

import io.adaspark.config.RunSpec;
import java.io.Serializable;

/** A run to train: its stable id, its optimizer/schedule/clipping and its seed. */
public record PlannedRun(String runId, RunSpec spec, long seed) implements Serializable {}
