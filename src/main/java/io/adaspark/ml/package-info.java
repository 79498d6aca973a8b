/**
 * adaspark inside Spark ML: {@link io.adaspark.ml.AdaptiveLogisticRegression} and
 * {@link io.adaspark.ml.AdaptiveMLPClassifier} are {@code ProbabilisticClassifier}s for
 * Pipelines, {@code ParamGridBuilder} grids and {@code CrossValidator}; their {@code fit} trains
 * with adaspark's own data-parallel mini-batch trainer and driver-side optimizers, and
 * {@code fitMultiple} trains every param map that shares data, model shape and batch sequence in
 * one fused cohort ({@link io.adaspark.ml.AdaptiveCrossValidator} is a {@code CrossValidator}
 * that calls it). Models write and read through Spark ML persistence.
 *
 * <p>What it may import: Spark ML / SQL, and adaspark's public entry points only —
 * {@code data.FrameLoader} (DataFrame to cached blocks), {@code train.Trainer},
 * {@code sweep.JobRunner#cohorts} (the cohort memory budget), {@code model} configs,
 * {@code config.JobLoader#bind} (the job file's strict loader, for the JSON Params),
 * {@code config.Canonical} (run ids) and {@code metrics.MetricsTables} (the summary's rows). It
 * re-implements no training, loss or optimizer code; nothing outside this package imports it.
 */
package io.adaspark.ml;
