/**
 * The report of one or more job outputs, read by column name from their Parquet tables:
 * configurations, medians with bootstrap intervals, paired comparisons, the tuning-budget curve,
 * performance profiles with their integrated score, rungs, and the PNG figures (XChart).
 * Analysis ({@code JobAnalysis}; {@code Stats}, {@code Uncertainty}, {@code Paired},
 * {@code Profiles}, {@code TuningBudget}: plain Java over rows) is apart from rendering
 * ({@code Report}, one method per section; {@code LineChart}, public: the bench draws its plots with it too).
 *
 * <p>Imports config and metrics. Tests: {@code src/test/java/io/adaspark/report}.
 */
package io.adaspark.report;
