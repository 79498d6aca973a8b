/**
 * A standalone Spark cluster on 127.0.0.1 ({@code ./submit.sh cluster start|stop|status}): the
 * master and workers from the embedded Spark jars, stopped exactly as started.
 *
 * <p>Imports nothing of adaspark. Tests: {@code cli/ClusterCommandTest}, {@code cluster/ClusterIT}.
 */
package io.adaspark.cluster;
