package io.adaspark.train;

import java.io.Serializable;

/**
 * One row of the metrics table: a run after {@code step} optimizer steps. {@code batchLoss} and
 * {@code lr} belong to step {@code step} itself (the mini-batch objective at the parameters
 * before the update, and the lr it used); the evaluation columns are measured at the
 * parameters after it, and are null between evaluation steps. Row 0 is the initial point.
 * {@code testAuc} is null for multiclass models; {@code suboptimality} (train loss − f*) is null
 * unless the job computed f*. {@code validationLoss} and {@code validationAccuracy} are null
 * unless the data has a validation split ({@code data.validation_fraction}).
 */
public record MetricRow(long step, double epoch, long examplesSeen, Double lr, Double batchLoss,
                        Double trainLoss, Double testLoss, Double testAccuracy, Double testAuc,
                        Double gradNorm, Double suboptimality, double wallMs, double computeMs, double optimizerMs,
                        Double validationLoss, Double validationAccuracy)
    implements Serializable {

  /** A row without validation metrics. */
  public MetricRow(long step, double epoch, long examplesSeen, Double lr, Double batchLoss,
                   Double trainLoss, Double testLoss, Double testAccuracy, Double testAuc,
                   Double gradNorm, Double suboptimality, double wallMs, double computeMs, double optimizerMs) {
    this(step, epoch, examplesSeen, lr, batchLoss, trainLoss, testLoss, testAccuracy, testAuc, gradNorm,
        suboptimality, wallMs, computeMs, optimizerMs, null, null);
  }

  /**
   * Where the cohort is after a step: the step, epochs and examples seen, and the step's
   * distributed compute time (0 for the initial point).
   */
  public record Position(long step, double epoch, long examplesSeen, double computeMs) {}

  /** What a run's latest step did: its lr, batch loss and optimizer time ({@link #NONE} before the first). */
  public record StepTaken(Double lr, Double batchLoss, double optimizerMs) implements Serializable {
    /** The initial point's: no step yet. */
    public static final StepTaken NONE = new StepTaken(null, null, 0.0);
  }

  /** A row between evaluations (or at a run's last step without one): what the step saw, no evaluation. */
  public static MetricRow stepOnly(Position at, StepTaken s, double wallMs) {
    return new MetricRow(at.step(), at.epoch(), at.examplesSeen(), s.lr(), s.batchLoss(), null, null, null, null,
        null, null, wallMs, at.computeMs(), s.optimizerMs(), null, null);
  }

  /**
   * An evaluated row of the j-th vector of evaluation {@code e}: the full train loss and the norm
   * of its gradient, test and validation loss and accuracy when the data has them, AUC when it was
   * measured (null for NaN), and {@code trainLoss − fStar} when {@code fStar} is not null.
   */
  public static MetricRow evaluated(Position at, StepTaken s, double wallMs, CohortObjective.Evaluation e, int j,
                                    Double fStar) {
    double trainLoss = e.train().losses()[j];
    double norm = 0;
    for (double v : e.train().grads()[j]) norm += v * v;
    CohortObjective.Result test = e.test();
    CohortObjective.Result validation = e.validation();
    return new MetricRow(at.step(), at.epoch(), at.examplesSeen(), s.lr(), s.batchLoss(), trainLoss,
        test == null ? null : test.losses()[j], test == null ? null : test.accuracy()[j],
        e.auc() == null || Double.isNaN(e.auc()[j]) ? null : e.auc()[j], Math.sqrt(norm),
        fStar == null ? null : trainLoss - fStar, wallMs, at.computeMs(), s.optimizerMs(),
        validation == null ? null : validation.losses()[j], validation == null ? null : validation.accuracy()[j]);
  }
}
