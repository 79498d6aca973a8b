/**
 * Running a job: plan the runs and size cohorts by what the driver holds ({@code SweepPlan}, no
 * Spark; refusing what cannot fit), train them on a driver thread pool, commit each cohort atomically to the work directory (its
 * rows as a Parquet part, a summary kept on the driver),
 * multi-fidelity schedulers (successive halving, Hyperband), resume.
 *
 * <p>Imports config, data, model, train, metrics and check. Tests:
 * {@code src/test/java/io/adaspark/sweep}, {@code cli/KillResumeTest}.
 */
package io.adaspark.sweep;
