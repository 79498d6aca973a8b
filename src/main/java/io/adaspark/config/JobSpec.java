package io.adaspark.config;

import io.adaspark.train.TrainingSpec;
import io.adaspark.train.RunSpec;

import io.adaspark.data.DataSpec;

import io.adaspark.model.ModelConfig;
import java.io.Serializable;
import java.util.List;

/**
 * A whole job file, validated and expanded: {@code optimizers} holds every optimizer
 * configuration of the grids and random draws, {@code models} and {@code trainings} every model
 * and training variant (model grids, batch-size grids); {@code model} and {@code training} are
 * the first of each. {@code optimum} is null unless the job asks for f*. {@code sourceText} is
 * the file as given (kept for the manifest); {@code sourceName} is how errors name it.
 * {@code scheduler} is null unless the job stops configurations early (successive halving,
 * Hyperband).
 */
public record JobSpec(String name, DataSpec data, ModelConfig model, TrainingSpec training,
                      List<RunSpec> optimizers, String output, OptimumSpec optimum,
                      String sourceName, String sourceText, List<ModelConfig> models,
                      List<TrainingSpec> trainings, SchedulerSpec scheduler) implements Serializable {
  public JobSpec {
    optimizers = List.copyOf(optimizers);
    models = models == null ? List.of(model) : List.copyOf(models);
    trainings = trainings == null ? List.of(training) : List.copyOf(trainings);
  }

  /** A job without a multi-fidelity scheduler. */
  public JobSpec(String name, DataSpec data, ModelConfig model, TrainingSpec training,
                 List<RunSpec> optimizers, String output, OptimumSpec optimum, String sourceName,
                 String sourceText, List<ModelConfig> models, List<TrainingSpec> trainings) {
    this(name, data, model, training, optimizers, output, optimum, sourceName, sourceText, models, trainings, null);
  }

  /** A job without model or training grids. */
  public JobSpec(String name, DataSpec data, ModelConfig model, TrainingSpec training,
                 List<RunSpec> optimizers, String output, OptimumSpec optimum, String sourceName,
                 String sourceText) {
    this(name, data, model, training, optimizers, output, optimum, sourceName, sourceText, null, null);
  }

  /** A job without model or training grids, nor f*. */
  public JobSpec(String name, DataSpec data, ModelConfig model, TrainingSpec training,
                 List<RunSpec> optimizers, String output, String sourceName, String sourceText) {
    this(name, data, model, training, optimizers, output, null, sourceName, sourceText, null, null);
  }

  /** The same job writing to another output directory. */
  public JobSpec withOutput(String dir) {
    return new JobSpec(name, data, model, training, optimizers, dir, optimum, sourceName, sourceText, models,
        trainings, scheduler);
  }
}
