/**
 * One small class per optimizer (torch.optim's classic set, the course's textbook forms, and the
 * modern ones: Lion, LAMB, LARS, Adafactor, Schedule-Free, Prodigy, Adan), each with its immutable
 * {@code Config} registered by type name; weight decay ({@code WeightDecay}), gradient clipping,
 * parameter blocks, and {@code saveState}/{@code restoreState}. Optimizers see only vectors (plus a
 * block list) and run on the driver.
 *
 * <p>Imports only {@code check}; {@code optim.schedule} holds the learning-rate schedules. Tests:
 * {@code src/test/java/io/adaspark/optim} and the golden trajectories
 * ({@code src/test/java/io/adaspark/golden}).
 */
package io.adaspark.optim;
