/**
 * The reference-trajectory runner behind {@code ./submit.sh golden DIR}: reads golden files of
 * both formats (torch.optim classic, golden-modern), maps each case to adaspark's optimizer,
 * replays it on the file's problem and compares every recorded value to the stated tolerance.
 *
 * <p>Imports data, model, optim and optim.schedule; no Spark. Tests:
 * {@code src/test/java/io/adaspark/golden} over {@code src/test/resources/golden*}.
 */
package io.adaspark.golden;
