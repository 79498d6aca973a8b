/**
 * The job's outputs: the Parquet {@code metrics/} and {@code runs/} tables (a run's full identity
 * in typed columns, defined once by {@code RunIdentity.COLUMNS}), {@code manifest.json} (versions, BLAS, cluster, data, optima), the driver log
 * and the atomic commit of the output directory.
 *
 * <p>Imports config, data, model and train. Tests: {@code src/test/java/io/adaspark/metrics}.
 */
package io.adaspark.metrics;
