/**
 * Models as flat parameter vectors: losses, gradients and evaluations of logistic regression
 * (binary, multinomial) and MLPs over data blocks, with the fixed-order kernels that make every
 * sum's bits independent of the number of fused runs; parameter layouts ({@code paramBlocks}) and
 * the coordinates a sparse step touches. Only two-class models score rows ({@code BinaryScorer}).
 *
 * <p>Imports data (blocks), optim (the block layout type) and check. Tests:
 * {@code src/test/java/io/adaspark/model} (finite differences, golden gradients).
 */
package io.adaspark.model;
