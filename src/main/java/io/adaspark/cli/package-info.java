/**
 * The command line ({@code io.adaspark.cli.Main}, started by {@code submit.sh}): run, report,
 * golden, cluster; one line and exit 2 for bad input, exit 1 with the driver log's path otherwise.
 *
 * <p>The top of the graph: may import every product package; none imports it (the bench jar
 * uses {@code Main.commandLine}). Tests: {@code src/test/java/io/adaspark/cli}.
 */
package io.adaspark.cli;
