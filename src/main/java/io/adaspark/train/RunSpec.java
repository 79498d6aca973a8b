package io.adaspark.train;

import io.adaspark.optim.GradientClipping;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.schedule.LrSchedule;
import java.io.Serializable;

/**
 * One entry of the job file's {@code optimizers}: the optimizer's hyper-parameters plus the
 * two things that act around it — the learning-rate schedule and gradient clipping. In the job
 * file they are written in one object: {@code {"type": "adam", "lr": 0.01, "schedule": {...},
 * "clip": {...}}}.
 *
 * @param optimizer the optimizer config (validated)
 * @param schedule the lr schedule, or null for a constant lr
 * @param clip gradient clipping, or null for none
 * @param origin where in the job file it came from (e.g. {@code optimizers[0] lr[2]}), for
 *     messages only; not part of the run's identity
 */
public record RunSpec(OptimizerConfig optimizer, LrSchedule schedule, GradientClipping clip, String origin)
    implements Serializable {

  public RunSpec(OptimizerConfig optimizer, LrSchedule schedule, GradientClipping clip) {
    this(optimizer, schedule, clip, "");
  }

  /** The learning rate of the 0-based step {@code k}. */
  public double lr(long k) {
    return schedule == null ? optimizer.lr() : schedule.lr(optimizer.lr(), k);
  }
}
