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
}
