package io.adaspark.config;

import io.adaspark.model.ModelConfig;
import java.io.Serializable;
import java.util.List;

/**
 * A whole job file, validated. {@code optimum} is null unless the job asks for f*. {@code sourceText} is the file as given (kept for the
 * manifest); {@code sourceName} is how errors name it.
 */
public record JobSpec(String name, DataSpec data, ModelConfig model, TrainingSpec training,
                      List<RunSpec> optimizers, String output, OptimumSpec optimum,
                      String sourceName, String sourceText) implements Serializable {
  public JobSpec {
    optimizers = List.copyOf(optimizers);
  }
}
