package io.adaspark.config;

import io.adaspark.train.TrainingSpec;

import io.adaspark.data.DataSpec;

import io.adaspark.check.JobFileException;

import io.adaspark.train.RungMetric;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What a {@code scheduler} needs from the rest of a job file: a budget in steps (rungs are
 * steps), no wall-clock or target stop (decisions must depend only on metrics), rung steps that
 * are evaluation steps, and the split its metric is measured on.
 */
final class SchedulerChecks {
  private SchedulerChecks() {}

  static SchedulerSpec check(SchedulerSpec s, DataSpec data, List<TrainingSpec> trainings, long configurations,
                             BiFunction<String, String, JobFileException> error) {
    for (TrainingSpec t : trainings) {
      if (t.steps() <= 0) {
        throw error.apply("scheduler", "needs the budget in training.steps (rungs are steps), not training.epochs");
      }
      if (t.wallSeconds() > 0) {
        throw error.apply("scheduler", "cannot be combined with training.wall_seconds (rung decisions must depend "
            + "only on metrics)");
      }
      if (t.stopAtTarget()) {
        throw error.apply("scheduler", "cannot be combined with training.stop_at_target (every live run must "
            + "reach the rung)");
      }
      long least = s instanceof SchedulerSpec.Hyperband ? (long) s.eta() * s.minSteps() : s.minSteps() + 1;
      if (least > t.steps()) {
        String bound = s instanceof SchedulerSpec.Hyperband ? "<= training.steps/eta = " + t.steps() / s.eta()
            : "< training.steps = " + t.steps();
        throw error.apply("scheduler.min_steps", "expected an integer " + bound + ", got " + s.minSteps()
            + " (" + s.typeName() + ")");
      }
      long every = t.resolveEvalEvery(t.steps());
      for (long rung : s.rungSteps(t.steps())) {
        if (rung % every != 0) {
          throw error.apply("scheduler.min_steps", "rung step " + rung + " is not an evaluation step (training."
              + "eval_every = " + every + "): rungs at " + s.rungSteps(t.steps()) + " need an eval_every that "
              + "divides each (" + s.typeName() + ")");
        }
      }
    }
    if (s instanceof SchedulerSpec.Hyperband) {
      // Bracket s_max, the largest, holds ⌈eta^s_max⌉ = eta^s_max configurations (Li et al.'s n).
      long most = 1;
      for (long t = s.minSteps(); t <= trainings.get(0).steps() / s.eta(); t *= s.eta()) most *= s.eta();
      if (configurations > most) {
        throw error.apply("scheduler", "hyperband with eta " + s.eta() + " and min_steps " + s.minSteps()
            + " ranks at most " + most + " configurations (its largest bracket), the sweep has " + configurations
            + " (fewer configurations, a smaller min_steps, or successive_halving)");
      }
    }
    if (s.metric().split() == RungMetric.Split.TEST && !(data.testFraction() > 0)) {
      throw error.apply("scheduler.metric", s.metric().column() + " needs test rows (data.test_fraction > 0)");
    }
    if (s.metric().split() == RungMetric.Split.VALIDATION && !hasValidation(data)) {
      throw error.apply("scheduler.metric", s.metric().column() + " needs a validation split (data.validation_fraction > 0)");
    }
    return s;
  }

  /** Whether the job holds out validation rows. */
  static boolean hasValidation(DataSpec data) {
    return data.validationFraction() > 0;
  }
}
