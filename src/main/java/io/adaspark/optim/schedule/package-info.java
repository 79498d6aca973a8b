/**
 * Learning-rate schedules, registered by type name (constant, step, exponential, cosine, warm-up,
 * wsd …): a pure function of the step and the base learning rate.
 *
 * <p>Imports only {@code check}. Tests: {@code src/test/java/io/adaspark/optim/schedule}.
 */
package io.adaspark.optim.schedule;
