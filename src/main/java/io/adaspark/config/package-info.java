/**
 * The job file: its records ({@code JobSpec}, {@code ReportSpec}, {@code SchedulerSpec},
 * {@code OptimumSpec}), the strict loader ({@code JobLoader}: registered type names only, every
 * error as {@code file:line:column: json.path: …}), sweep expansion ({@code SweepExpander}: grids
 * and random search) and canonical JSON for run ids ({@code Canonical}).
 *
 * <p>Imports the records the job file holds from the packages that own them (data, model, optim,
 * train) and {@code check}; imported only by sweep, metrics, report, ml and cli. Tests:
 * {@code src/test/java/io/adaspark/config}.
 */
package io.adaspark.config;
