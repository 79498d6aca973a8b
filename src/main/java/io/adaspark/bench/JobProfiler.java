package io.adaspark.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
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
  private final Map<Integer, Long> jobStart = new ConcurrentHashMap<>();
  private volatile boolean on;
  private long jobs;
  private long jobMs;
  private long tasks;
  private long runMs;
  private long deserMs;
  private long resultSerMs;
  private long gcMs;
  private long resultBytes;
  private long taskDurationMs;
  private long driverGc0;

  static JobProfiler attach(SparkContext sc) {
    JobProfiler p = new JobProfiler();
    sc.addSparkListener(p);
    return p;
  }

  synchronized void start() {
    jobs = jobMs = tasks = runMs = deserMs = resultSerMs = gcMs = resultBytes = taskDurationMs = 0;
    driverGc0 = driverGcMs();
    on = true;
  }

  /** Stops counting (after the listener bus has delivered the events) and returns per-step means. */
  synchronized Map<String, Object> stop(SparkContext sc, int steps, double stepMsMean) {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      // best effort: the split is then slightly incomplete
    }
    on = false;
    long driverGc = driverGcMs() - driverGc0;
    Map<String, Object> m = new LinkedHashMap<>();
    double s = Math.max(1, steps);
    m.put("steps", steps);
    m.put("step_ms_mean", BenchJson.round(stepMsMean));
    m.put("jobs_per_step", BenchJson.round(jobs / s));
    m.put("job_ms_per_step", BenchJson.round(jobMs / s));
    m.put("outside_job_ms_per_step", BenchJson.round(stepMsMean - jobMs / s));
    m.put("tasks_per_step", BenchJson.round(tasks / s));
    m.put("task_duration_ms_per_task", BenchJson.round(tasks == 0 ? 0 : (double) taskDurationMs / tasks));
    m.put("task_run_ms_per_task", BenchJson.round(tasks == 0 ? 0 : (double) runMs / tasks));
    m.put("task_deserialize_ms_per_task", BenchJson.round(tasks == 0 ? 0 : (double) deserMs / tasks));
    m.put("result_serialize_ms_per_task", BenchJson.round(tasks == 0 ? 0 : (double) resultSerMs / tasks));
    m.put("task_gc_ms_per_step", BenchJson.round(gcMs / s));
    m.put("result_bytes_per_task", BenchJson.round(tasks == 0 ? 0 : (double) resultBytes / tasks));
    m.put("driver_gc_ms_per_step", BenchJson.round(driverGc / s));
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
    if (on) jobStart.put(e.jobId(), e.time());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Long t0 = jobStart.remove(e.jobId());
    if (on && t0 != null) {
      jobs++;
      jobMs += e.time() - t0;
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    if (!on) return;
    TaskMetrics m = e.taskMetrics();
    tasks++;
    taskDurationMs += e.taskInfo().duration();
    if (m == null) return;
    runMs += m.executorRunTime();
    deserMs += m.executorDeserializeTime();
    resultSerMs += m.resultSerializationTime();
    gcMs += m.jvmGCTime();
    resultBytes += m.resultSize();
  }
}
