/**
 * The benchmark of BENCHMARKS.md: adaspark's step, pass, sweep and load rows side by side with
 * MLlib's anchors, on synthetic data. Built from {@code src/bench/java} into its own jar
 * ({@code target/adaspark-bench.jar}), never into the application jar; compiled with the tests
 * (its tests are in {@code src/test/java/io/adaspark/bench}). It may import every product
 * package; no product package imports it.
 */
package io.adaspark.bench;
