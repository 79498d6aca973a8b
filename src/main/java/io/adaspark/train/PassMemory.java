package io.adaspark.train;

/**
 * What a full pass over the data (an evaluation's training gradient, the {@code optimum}'s
 * objective) holds at once per run, and how many runs one pass may therefore carry. A full pass
 * touches nearly every coordinate, so its partials are dense (8 bytes per parameter and run) and
 * Spark's task-result path copies them: the executor serializes a result into a chunked buffer
 * and again into its task result, the driver fetches those bytes and deserializes them.
 *
 * <p>Per run of n parameters, with T = the tasks of one tree job (the root's children, at most
 * {@code training.fan_in}) and S = the executor slots: the driver holds at most T results (those
 * that arrive ahead of their turn wait, {@link FixedTree}) plus the root it folds them into, and
 * one fetched serialized copy per slot; in local mode the executors share the driver's heap and
 * each slot also holds its node, its leaf and two serialized copies:
 * {@code 8·n·(T + 1 + S)} bytes on a cluster, {@code 8·n·(T + 1 + 5·S)} in local mode.
 *
 * <p>A pass carries the runs of a cohort in chunks that fit {@link #FRACTION} of the driver's
 * maximum heap (per parallel cohort); a run's bits do not depend on which runs share its pass
 * (the fused kernels compute each run on its own), so the chunking changes only the number of
 * passes, never a metric.
 */
public final class PassMemory {
  private PassMemory() {}

  /** The share of the driver's maximum heap that the full passes of the cohorts trained at once may use. */
  public static final double FRACTION = 0.3;

  /** Copies per executor slot in local mode: its node, its leaf, two serialized buffers, and the driver's fetched copy. */
  public static final int LOCAL_COPIES_PER_SLOT = 5;

  /** Tasks of one tree job over {@code partitions} with fan-in {@code fanIn}: the root's children. */
  public static int tasks(int partitions, int fanIn) {
    FixedTree tree = new FixedTree(partitions, fanIn);
    return tree.nodes(tree.taskLevel());
  }

  /** Bytes one run holds during a full pass: {@code 8·n·(T + 1 + S)}, or {@code 8·n·(T + 1 + 5·S)} in local mode. */
  public static double bytesPerRun(int numParams, int tasks, int slots, boolean local) {
    return 8.0 * numParams * (tasks + 1 + (long) (local ? LOCAL_COPIES_PER_SLOT : 1) * slots);
  }

  /** The bytes the passes of one cohort may use: {@link #FRACTION} of the max heap per parallel cohort. */
  public static double budget(long maxHeap, int parallelism) {
    return FRACTION * maxHeap / Math.max(1, parallelism);
  }

  /** Runs one pass may carry within {@code budget} bytes: at least 1, at most {@code runs}. */
  public static int runsPerPass(int runs, double perRun, double budget) {
    long c = (long) Math.floor(budget / perRun);
    return (int) Math.max(1, Math.min(runs, c));
  }
}
