package io.adaspark.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * The job file's {@code training}: the budget and the batch sequence shared by every run.
 *
 * @param batchSize rows per mini-batch (the last batch of an epoch may differ by a few rows:
 *     every epoch visits each training row exactly once)
 * @param steps optimizer steps per run
 * @param evalEvery evaluate full train/test metrics every this many steps (and at step 0 and
 *     at the last step)
 * @param seed seeds the initial parameters and the batch order
 * @param partitions number of data partitions; fixed by the job so results never depend on the
 *     cluster
 */
public record TrainingSpec(int batchSize, long steps, long evalEvery, long seed, int partitions)
    implements Serializable {

  @JsonCreator
  public static TrainingSpec of(@JsonProperty("batch_size") Integer batchSize,
                                @JsonProperty("steps") Long steps,
                                @JsonProperty("eval_every") Long evalEvery,
                                @JsonProperty("seed") Long seed,
                                @JsonProperty("partitions") Integer partitions) {
    if (batchSize == null) throw new InvalidValueException("training", "batch_size", "an integer >= 1", "nothing");
    if (steps == null) throw new InvalidValueException("training", "steps", "an integer >= 1", "nothing");
    Checks.atLeast("training", "batch_size", batchSize, 1);
    Checks.atLeast("training", "steps", steps, 1);
    long ee = evalEvery == null ? Math.max(1, steps / 20) : evalEvery;
    Checks.atLeast("training", "eval_every", ee, 1);
    int p = partitions == null ? 4 : partitions;
    Checks.atLeast("training", "partitions", p, 1);
    return new TrainingSpec(batchSize, steps, ee, seed == null ? 0L : seed, p);
  }

  @JsonProperty("batch_size") public int batchSize() { return batchSize; }
  @JsonProperty("steps") public long steps() { return steps; }
  @JsonProperty("eval_every") public long evalEvery() { return evalEvery; }
  @JsonProperty("seed") public long seed() { return seed; }
  @JsonProperty("partitions") public int partitions() { return partitions; }
}
