package io.adaspark.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.status.api.v1.ExecutorSummary;

/**
 * The executors of a job for the manifest: those registered when it started and when it ended
 * (id, host, cores), and every executor added or removed in between, with the reason Spark gives
 * (e.g. "Command exited with code 137" after a kill -9, "worker lost"). Registered around the
 * job by {@code JobRunner}; an executor added after one was removed is a replacement.
 */
public final class ExecutorLog extends SparkListener {
  /** One executor added or removed. */
  public record Event(Instant time, String event, String executorId, String host, int cores, String reason) {}

  /** An executor registered at a moment (the driver excluded, except in local mode where it is the executor). */
  public record Executor(String id, String hostPort, int cores) {}

  private final SparkContext sc;
  private final List<Executor> atStart;
  private final List<Event> events = new ArrayList<>();

  private ExecutorLog(SparkContext sc) {
    this.sc = sc;
    this.atStart = current(sc);
  }

  /** Starts listening on {@code sc}; call {@link #close} at the end of the job. */
  public static ExecutorLog register(SparkContext sc) {
    ExecutorLog log = new ExecutorLog(sc);
    sc.addSparkListener(log);
    return log;
  }

  public void close() {
    sc.removeSparkListener(this);
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded e) {
    add(new Event(Instant.ofEpochMilli(e.time()), "added", e.executorId(), e.executorInfo().executorHost(),
        e.executorInfo().totalCores(), null));
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
    add(new Event(Instant.ofEpochMilli(e.time()), "removed", e.executorId(), null, 0, e.reason()));
  }

  private synchronized void add(Event e) {
    events.add(e);
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /**
   * The executors registered now, from Spark's status store (what the UI's Executors page shows;
   * the accessor is Spark-internal, so any failure yields an empty list rather than no manifest).
   */
  static List<Executor> current(SparkContext sc) {
    List<Executor> out = new ArrayList<>();
    try {
      for (ExecutorSummary s : scala.jdk.javaapi.CollectionConverters.asJava(sc.statusStore().executorList(true))) {
        if (s.id().equals("driver") && !sc.isLocal()) continue;
        out.add(new Executor(s.id(), s.hostPort(), s.totalCores()));
      }
    } catch (RuntimeException | LinkageError e) {
      // leave the list empty
    }
    return out;
  }

  /** Adds to the manifest's {@code cluster} object: executors and cores at start and end, and the events. */
  public void describe(ObjectNode cluster) {
    List<Executor> atEnd = current(sc);
    List<Event> ev = events();
    cluster.put("cores", atEnd.stream().mapToInt(Executor::cores).sum());
    cluster.put("executors_lost", ev.stream().filter(e -> e.event().equals("removed")).count());
    cluster.put("executors_added", ev.stream().filter(e -> e.event().equals("added")).count());
    executors(cluster.putArray("executors_at_start"), atStart);
    executors(cluster.putArray("executors_at_end"), atEnd);
    ArrayNode a = cluster.putArray("executor_events");
    for (Event e : ev) {
      ObjectNode o = a.addObject();
      o.put("time", e.time().toString());
      o.put("event", e.event());
      o.put("executor_id", e.executorId());
      if (e.host() != null) o.put("host", e.host());
      if (e.cores() > 0) o.put("cores", e.cores());
      if (e.reason() != null) o.put("reason", e.reason());
    }
  }

  private static void executors(ArrayNode a, List<Executor> list) {
    for (Executor x : list) {
      a.addObject().put("id", x.id()).put("host_port", x.hostPort()).put("cores", x.cores());
    }
  }
}
