package io.adaspark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;

/**
 * Times the iterations of an MLlib algorithm from inside its fit, by its Spark jobs: each
 * iteration of {@code runMiniBatchSGD} (and so of the MLP's gd solver) is one
 * {@code treeAggregate at GradientDescent.scala} job, each loss evaluation of ml
 * {@code LogisticRegression}'s L-BFGS one {@code treeAggregate at RDDLossFunction.scala} job.
 * Time per iteration = (end of the last such job − end of the first) / (iterations − 1):
 * everything the algorithm does between two iterations (broadcast, sampling, update) is in it.
 * Its setup is everything before, including the part of the first such job that materializes
 * the algorithm's cache ({@link #perIteration}).
 */
final class JobClock extends SparkListener {
  /** One job: scheduler times (ms since epoch) and its stage names. */
  record Job(int id, long start, long end, String names) {}

  private final Map<Integer, long[]> open = new ConcurrentHashMap<>();
  private final Map<Integer, String> names = new ConcurrentHashMap<>();
  private final List<Job> done = new ArrayList<>();
  private volatile boolean on;

  static JobClock attach(SparkContext sc) {
    JobClock c = new JobClock();
    sc.addSparkListener(c);
    return c;
  }

  synchronized void start() {
    done.clear();
    open.clear();
    names.clear();
    on = true;
  }

  /** The jobs (after the listener bus delivered them) whose stage names contain {@code marker}. */
  synchronized List<Job> stop(SparkContext sc, String marker) {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      // best effort
    }
    on = false;
    List<Job> out = new ArrayList<>();
    for (Job j : done) if (j.names().contains(marker)) out.add(j);
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    if (!on) return;
    open.put(e.jobId(), new long[] {e.time()});
    StringBuilder s = new StringBuilder();
    for (StageInfo st : scala.jdk.javaapi.CollectionConverters.asJava(e.stageInfos())) s.append(st.name()).append(';');
    names.put(e.jobId(), s.toString());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    long[] t = open.remove(e.jobId());
    if (on && t != null) done.add(new Job(e.jobId(), t[0], e.time(), names.getOrDefault(e.jobId(), "")));
  }

  /**
   * Seconds per iteration between the first and last job, and the setup: everything from
   * {@code fitStartMillis} to the end of the first job, minus one steady-state job (the median
   * duration of the later ones). The first job of an MLlib fit is where its lazily built cache
   * is materialized (ml {@code LogisticRegression}: the input read again, standardized and
   * blockified into the cached instance blocks), so that work is setup, not an iteration; the
   * start of the first job alone would leave it out of both.
   */
  static double[] perIteration(List<Job> jobs, long fitStartMillis, int iterations) {
    if (jobs.size() < 2) return new double[] {Double.NaN, Double.NaN};
    Job first = jobs.get(0);
    Job last = jobs.get(jobs.size() - 1);
    int steps = iterations > 0 ? iterations : jobs.size() - 1;
    double[] later = new double[jobs.size() - 1];
    for (int i = 1; i < jobs.size(); i++) later[i - 1] = (jobs.get(i).end() - jobs.get(i).start()) / 1e3;
    double setup = (first.end() - fitStartMillis) / 1e3 - Measure.median(later);
    return new double[] {(last.end() - first.end()) / 1e3 / steps, setup};
  }

  /** The jobs as "seconds: stage names" lines, for the JSON. */
  static List<String> describe(List<Job> jobs, long fromMillis) {
    List<String> out = new ArrayList<>();
    for (Job j : jobs) {
      out.add(String.format("+%.3f s, %.3f s: %s", (j.start() - fromMillis) / 1e3, (j.end() - j.start()) / 1e3,
          j.names()));
    }
    return out;
  }
}
