package io.adaspark.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The per-step split of a measured loop: Spark jobs (submission to end, as the scheduler saw
 * them), their tasks' run, deserialization, result serialization and GC times and result bytes,
 * and the driver JVM's GC time ({@code GarbageCollectorMXBean}s). What a step spends outside its
 * job (broadcast creation, result fetch, combine, optimizer, destroy) is step time − job time.
 */
final class JobProfiler extends SparkListener {
  /** One job's times and its tasks' metrics. */
  private static final class Rec {
    long start;
    long end = -1;
    long tasks;
    long runMs;
    long deserMs;
    long resultSerMs;
    long gcMs;
    long resultBytes;
    long taskDurationMs;
  }

  private final Map<Integer, Rec> jobs = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
  private volatile boolean on;
  private long driverGc0;

  static JobProfiler attach(SparkContext sc) {
    JobProfiler p = new JobProfiler();
    sc.addSparkListener(p);
    return p;
  }

  synchronized void start() {
    jobs.clear();
    stageToJob.clear();
    driverGc0 = driverGcMs();
    on = true;
  }

  /**
   * Stops counting (after the listener bus has delivered the events) and returns per-step means
   * over the jobs in submission order, leaving out the first {@code skipFirst} and the last
   * {@code skipLast} (warm-up steps and evaluations). Driver GC is over the whole loop.
   */
  synchronized Map<String, Object> stop(SparkContext sc, int skipFirst, int skipLast, double stepMsMean) {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      // best effort: the split is then slightly incomplete
    }
    on = false;
    long driverGc = driverGcMs() - driverGc0;
    List<Integer> ids = new ArrayList<>(jobs.keySet());
    Collections.sort(ids);
    int allJobs = ids.size();
    List<Rec> kept = new ArrayList<>();
    for (int i = skipFirst; i < ids.size() - skipLast; i++) kept.add(jobs.get(ids.get(i)));
    long n = 0, jobMs = 0, tasks = 0, runMs = 0, deserMs = 0, serMs = 0, gcMs = 0, bytes = 0, durMs = 0;
    for (Rec r : kept) {
      if (r.end < 0) continue;
      n++;
      jobMs += r.end - r.start;
      tasks += r.tasks;
      runMs += r.runMs;
      deserMs += r.deserMs;
      serMs += r.resultSerMs;
      gcMs += r.gcMs;
      bytes += r.resultBytes;
      durMs += r.taskDurationMs;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    double s = Math.max(1, n);
    double t = Math.max(1, tasks);
    m.put("jobs_profiled", n);
    m.put("jobs_in_loop", allJobs);
    m.put("step_ms_mean", BenchJson.round(stepMsMean));
    m.put("job_ms_mean", BenchJson.round(jobMs / s));
    m.put("outside_job_ms_mean", BenchJson.round(stepMsMean - jobMs / s));
    m.put("tasks_per_job", BenchJson.round(tasks / s));
    m.put("task_duration_ms_per_task", BenchJson.round(durMs / t));
    m.put("task_run_ms_per_task", BenchJson.round(runMs / t));
    m.put("task_deserialize_ms_per_task", BenchJson.round(deserMs / t));
    m.put("result_serialize_ms_per_task", BenchJson.round(serMs / t));
    m.put("task_gc_ms_per_job", BenchJson.round(gcMs / s));
    m.put("result_bytes_per_task", BenchJson.round(bytes / t));
    m.put("driver_gc_ms_per_job_whole_loop", BenchJson.round(driverGc / Math.max(1.0, allJobs)));
    return m;
  }

  static long driverGcMs() {
    long t = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    if (!on) return;
    Rec r = new Rec();
    r.start = e.time();
    jobs.put(e.jobId(), r);
    for (Object st : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
      stageToJob.put((Integer) st, e.jobId());
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Rec r = jobs.get(e.jobId());
    if (on && r != null) r.end = e.time();
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    if (!on) return;
    Integer job = stageToJob.get(e.stageId());
    Rec r = job == null ? null : jobs.get(job);
    if (r == null) return;
    r.tasks++;
    r.taskDurationMs += e.taskInfo().duration();
    TaskMetrics m = e.taskMetrics();
    if (m == null) return;
    r.runMs += m.executorRunTime();
    r.deserMs += m.executorDeserializeTime();
    r.resultSerMs += m.resultSerializationTime();
    r.gcMs += m.jvmGCTime();
    r.resultBytes += m.resultSize();
  }
}
