/**
 * Input: the data specs of a job file ({@code DataSpec} and its LIBSVM, CSV, Parquet and
 * synthetic records), reading and validating rows (one line per bad record, naming file and
 * line), the train/validation/test split by a hash of each row's identity, standardization, and
 * the cached per-partition blocks ({@code DenseBlock}, {@code CsrBlock}) every pass reads.
 *
 * <p>Imports only {@code check}. Tests: {@code src/test/java/io/adaspark/data}.
 */
package io.adaspark.data;
