/**
 * Training a cohort of fused runs: the run's records ({@code TrainingSpec}, {@code RunSpec}), the
 * batch sampler (a Feistel permutation per epoch), the cohort objective ({@code CohortObjective}:
 * broadcast, block tasks, the fixed summation tree of fan-in F over partition indices, sparse
 * partials, full passes in chunks of runs sized by {@code PassMemory}) and the {@code Trainer}'s step loop with its divergence, stop and checkpoint rules.
 *
 * <p>Imports data, model, optim, optim.schedule and check. Tests:
 * {@code src/test/java/io/adaspark/train} (determinism, sparse = dense, fused = alone, distributed golden).
 */
package io.adaspark.train;
