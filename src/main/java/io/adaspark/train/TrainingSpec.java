package io.adaspark.train;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;

/**
 * The job file's {@code training}: the budget, the batch sequence and how the sweep runs.
 *
 * @param batchSize rows per mini-batch (a list in the job file is a grid axis, expanded before
 *     binding: a bound spec holds one value)
 * @param steps optimizer steps per run, or 0 when the budget is given in {@code epochs}
 * @param epochs the budget in epochs (steps = ⌈epochs·⌈n/B⌉⌉), or 0 when given in steps
 * @param evalEvery evaluate every this many steps (plus step 0 and the last); 0 = steps/20
 * @param seeds the seeds; every configuration is repeated for each (seeds the initial
 *     parameters and the batch order)
 * @param partitions number of data partitions; fixed by the job so results never depend on the
 *     cluster
 * @param wallSeconds optional cap on each run's training time (0 = none)
 * @param targetLoss optional target training loss (null = none): records the first evaluation
 *     step and time at which train_loss ≤ target
 * @param stopAtTarget stop a run when it reaches {@code targetLoss}
 * @param divergenceFactor a run whose batch or train loss exceeds this multiple of its initial
 *     train loss is marked diverged
 * @param checkpointEvery checkpoint each cohort every this many steps (0 = never)
 * @param parallelism cohorts trained concurrently on driver threads
 * @param cohortMemoryMb driver memory budget of one cohort (bounds the runs trained together)
 * @param fanIn children per node of the fixed tree that combines the partitions' partial sums on
 *     the executors (the driver receives at most this many partials); part of a run's identity
 *     only when it is below {@code partitions}, since every {@code fanIn >= partitions} is the
 *     same flat sum in partition order, bit for bit
 */
public record TrainingSpec(int batchSize, long steps, double epochs, long evalEvery, List<Long> seeds,
                           int partitions, double wallSeconds, Double targetLoss, boolean stopAtTarget,
                           double divergenceFactor, long checkpointEvery, int parallelism,
                           double cohortMemoryMb, int fanIn) implements Serializable {
  private static final String OWNER = "training";
  public static final double DEFAULT_DIVERGENCE_FACTOR = 100;
  public static final double DEFAULT_COHORT_MEMORY_MB = 512;
  public static final int DEFAULT_FAN_IN = 16;

  public TrainingSpec {
    seeds = List.copyOf(seeds);
  }

  /** The pre-sweep Java factory (one seed, budget in steps). */
  public static TrainingSpec of(Integer batchSize, Long steps, Long evalEvery, Long seed, Integer partitions) {
    return fromJson(batchSize, steps, null, evalEvery, seed, null, partitions, null, null, null, null,
        null, null, null, null);
  }

  @JsonCreator
  public static TrainingSpec fromJson(@JsonProperty("batch_size") Integer batchSize,
                                      @JsonProperty("steps") Long steps,
                                      @JsonProperty("epochs") Double epochs,
                                      @JsonProperty("eval_every") Long evalEvery,
                                      @JsonProperty("seed") Long seed,
                                      @JsonProperty("seeds") long[] seeds,
                                      @JsonProperty("partitions") Integer partitions,
                                      @JsonProperty("wall_seconds") Double wallSeconds,
                                      @JsonProperty("target_loss") Double targetLoss,
                                      @JsonProperty("stop_at_target") Boolean stopAtTarget,
                                      @JsonProperty("divergence_factor") Double divergenceFactor,
                                      @JsonProperty("checkpoint_every") Long checkpointEvery,
                                      @JsonProperty("parallelism") Integer parallelism,
                                      @JsonProperty("cohort_memory_mb") Double cohortMemoryMb,
                                      @JsonProperty("fan_in") Integer fanIn) {
    if (batchSize == null) throw new InvalidValueException(OWNER, "batch_size", "an integer >= 1", "nothing");
    Checks.atLeast(OWNER, "batch_size", batchSize, 1);
    if ((steps == null) == (epochs == null)) {
      throw new InvalidValueException(OWNER, "steps", "an integer >= 1, or epochs (exactly one of the two)",
          steps == null ? "neither" : "both");
    }
    if (steps != null) Checks.atLeast(OWNER, "steps", steps, 1);
    if (epochs != null) Checks.positive(OWNER, "epochs", epochs);
    long ee = evalEvery != null ? evalEvery : steps != null ? Math.max(1, steps / 20) : 0;
    if (evalEvery != null) Checks.atLeast(OWNER, "eval_every", ee, 1);
    if (seed != null && seeds != null) {
      throw new InvalidValueException(OWNER, "seeds", "seed or seeds, not both", "both");
    }
    List<Long> s;
    if (seeds != null) {
      if (seeds.length == 0) throw new InvalidValueException(OWNER, "seeds", "a non-empty list of integers", "[]");
      s = java.util.Arrays.stream(seeds).boxed().toList();
      if (s.stream().distinct().count() != s.size()) {
        throw new InvalidValueException(OWNER, "seeds", "distinct seeds", s.toString());
      }
    } else {
      s = List.of(seed == null ? 0L : seed);
    }
    int p = partitions == null ? 4 : partitions;
    Checks.atLeast(OWNER, "partitions", p, 1);
    if (wallSeconds != null) Checks.positive(OWNER, "wall_seconds", wallSeconds);
    if (targetLoss != null && !Double.isFinite(targetLoss)) {
      throw new InvalidValueException(OWNER, "target_loss", "a finite number", targetLoss.toString());
    }
    if (stopAtTarget != null && stopAtTarget && targetLoss == null) {
      throw new InvalidValueException(OWNER, "stop_at_target", "false without target_loss", "true");
    }
    double df = divergenceFactor == null ? DEFAULT_DIVERGENCE_FACTOR : divergenceFactor;
    Checks.inOpenClosed(OWNER, "divergence_factor", df, 1, 1e300);
    long ce = checkpointEvery == null ? 0 : checkpointEvery;
    if (checkpointEvery != null) Checks.atLeast(OWNER, "checkpoint_every", ce, 1);
    int par = parallelism == null ? 1 : parallelism;
    Checks.atLeast(OWNER, "parallelism", par, 1);
    double mem = cohortMemoryMb == null ? DEFAULT_COHORT_MEMORY_MB : cohortMemoryMb;
    Checks.positive(OWNER, "cohort_memory_mb", mem);
    int fan = fanIn == null ? DEFAULT_FAN_IN : fanIn;
    Checks.atLeast(OWNER, "fan_in", fan, 2);
    return new TrainingSpec(batchSize, steps == null ? 0 : steps, epochs == null ? 0 : epochs, ee, s, p,
        wallSeconds == null ? 0 : wallSeconds, targetLoss, stopAtTarget != null && stopAtTarget, df, ce,
        par, mem, fan);
  }

  /** The first (or only) seed. */
  public long seed() {
    return seeds.get(0);
  }

  /** This spec with one seed. */
  public TrainingSpec withSeed(long seed) {
    return new TrainingSpec(batchSize, steps, epochs, evalEvery, List.of(seed), partitions, wallSeconds,
        targetLoss, stopAtTarget, divergenceFactor, checkpointEvery, parallelism, cohortMemoryMb, fanIn);
  }

  /** Steps per run, given the steps of one epoch. */
  public long resolveSteps(long stepsPerEpoch) {
    return steps > 0 ? steps : Math.max(1, (long) Math.ceil(epochs * stepsPerEpoch));
  }

  /** The evaluation interval for a run of {@code totalSteps}. */
  public long resolveEvalEvery(long totalSteps) {
    return evalEvery > 0 ? evalEvery : Math.max(1, totalSteps / 20);
  }

  /**
   * What of this spec determines a run's trajectory, as JSON for the run id: the pre-sweep fields
   * (so ids of jobs without new fields are unchanged), then each newer field only when it is not
   * its default. How the sweep is executed (parallelism, memory, checkpoints) is not part of it;
   * {@code fan_in} is, when it is below {@code partitions} (then it changes the summation tree).
   */
  public ObjectNode identity() {
    ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("batch_size", batchSize);
    if (steps > 0) n.put("steps", steps);
    else n.put("epochs", epochs);
    if (evalEvery > 0) n.put("eval_every", evalEvery);
    n.put("seed", seed());
    n.put("partitions", partitions);
    if (wallSeconds > 0) n.put("wall_seconds", wallSeconds);
    if (targetLoss != null) {
      n.put("target_loss", targetLoss);
      n.put("stop_at_target", stopAtTarget);
    }
    if (divergenceFactor != DEFAULT_DIVERGENCE_FACTOR) n.put("divergence_factor", divergenceFactor);
    if (fanIn < partitions) n.put("fan_in", fanIn);
    return n;
  }
}
