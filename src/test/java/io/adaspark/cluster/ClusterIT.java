package io.adaspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real standalone cluster (master + 2 workers x 1 core on 127.0.0.1, started by
 * {@link LocalCluster} from target/spark-home) and real drivers submitted through
 * {@code submit.sh --master spark://...} (client mode, the application jar shipped to the
 * executors). Metrics, wall-clock columns aside, must be bit-identical to local[1] and local[2]
 * runs of the same job: without failures, after kill -9 of an executor mid-run (Spark relaunches
 * it and rebuilds the lost cached blocks from lineage) and after a worker is killed for good. The
 * job has P = 16 partitions and fan-in F = 4: each step is 4 tasks, each folding 4 cached blocks
 * into one node of the summation tree, so the bits must not depend on which executor computed
 * which node, nor on a node being recomputed after its executor died.
 *
 * <p>One cluster for the class (started in {@code @BeforeAll}, stopped in {@code @AfterAll} and by
 * a shutdown hook, also on failure); non-default free ports so a user's cluster is not disturbed;
 * the worker kill comes last because the cluster stays one worker short.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final Path BASE = TestSpark.basedir();
  static final Path DIR = BASE.resolve("target").resolve("it-cluster");
  static final Duration DRIVER_TIMEOUT = Duration.ofMinutes(5); // generous: the machine may be shared
  static final int STEPS = 200;
  static LocalCluster cluster;
  static Thread stopHook;
  static List<Row> reference; // local[2]

  @BeforeAll
  static void startCluster() throws IOException {
    Files.createDirectories(DIR);
    Optional<LocalCluster> left = LocalCluster.attach(DIR.resolve("cluster"));
    if (left.isPresent()) left.get().stop(System.err); // a previous run killed before its @AfterAll
    int masterPort = LocalCluster.freePort();
    int ui = freeUiPorts(3);
    long t0 = System.nanoTime();
    cluster = LocalCluster.start(new LocalCluster.Settings(BASE.resolve("target").resolve("spark-home"),
        BASE.resolve("conf"), DIR.resolve("cluster"), masterPort, ui, 2, 1, "1g"), System.err, Duration.ofMinutes(2));
    System.err.printf("measure: cluster start %.1f s%n", (System.nanoTime() - t0) / 1e9);
    LocalCluster started = cluster;
    stopHook = new Thread(() -> {
      try {
        started.stop(System.err);
      } catch (IOException ignored) {
        // best effort at JVM exit
      }
    });
    Runtime.getRuntime().addShutdownHook(stopHook);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster == null) return;
    int stopped = cluster.stop(System.err);
    System.err.println("cluster stopped: " + stopped + " processes");
    for (LocalCluster.Daemon d : cluster.daemons()) assertFalse(d.alive(), d + " still running");
    Runtime.getRuntime().removeShutdownHook(stopHook);
  }

  /** n consecutive free ports (master web UI, then one per worker). */
  static int freeUiPorts(int n) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p = LocalCluster.freePort();
      boolean ok = p + n < 65535;
      for (int i = 1; ok && i < n; i++) ok = LocalCluster.portFree(p + i);
      if (ok) return p;
    }
    throw new IOException("no " + n + " consecutive free ports");
  }

  static String job(String name) {
    return """
        {"name": "%s",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25, "split_seed": 3},
         "model": {"type": "mlp", "hidden": [8], "activation": "tanh", "l2": 0.0001},
         "training": {"batch_size": 16, "steps": %d, "eval_every": 100, "seed": 5, "partitions": 16, "fan_in": 4},
         "optimizers": [{"type": "sgd", "lr": 0.05, "momentum": 0.9}, {"type": "adam", "lr": 0.01}]}
        """.formatted(name, TestSpark.data("heart_scale.libsvm"), STEPS);
  }

  /** A driver: {@code submit.sh --master M run job.json}, a separate JVM, output in a log file. */
  static final class Driver implements AutoCloseable {
    final String name;
    final Path log;
    final Process process;
    final long startNanos = System.nanoTime();

    Driver(String master, String name) throws IOException {
      this.name = name;
      Path job = DIR.resolve(name + ".json");
      Files.writeString(job, job(name));
      log = DIR.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(BASE.resolve("submit.sh").toString(), "--master", master,
          "--conf", "spark.locality.wait=0", "--conf", "spark.ui.enabled=false",
          "run", job.toString(), "--output", DIR.resolve("out").toString(), "--no-report");
      pb.environment().remove("SPARK_HOME"); // the embedded launcher over target/spark-home
      pb.directory(BASE.toFile());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      process = pb.start();
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "";
      }
    }

    /** The last training step the driver's progress lines reported ("progress: ... step N/M ..."), or -1. */
    long lastStep() {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^progress: .*\\bstep (\\d+)/").matcher(output());
      long seen = -1;
      while (m.find()) seen = Long.parseLong(m.group(1));
      return seen;
    }

    /** Waits for a progress line of at least {@code step}; fails if the driver ends first. */
    void awaitStep(long step) throws InterruptedException {
      long deadline = System.nanoTime() + DRIVER_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (lastStep() >= step) return;
        if (!process.isAlive()) fail(name + " ended before step " + step + ":\n" + output());
        Thread.sleep(100);
      }
      fail(name + ": no step " + step + " within " + DRIVER_TIMEOUT + ":\n" + output());
    }

    /** Waits for the driver's exit; asserts success. */
    void awaitSuccess() throws InterruptedException {
      if (!process.waitFor(DRIVER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        fail(name + ": still running after " + DRIVER_TIMEOUT + ":\n" + output());
      }
      assertEquals(0, process.exitValue(), name + " failed:\n" + output());
      System.err.printf("measure: %s driver %.1f s%n", name, (System.nanoTime() - startNanos) / 1e9);
    }

    Path outputDir() {
      return DIR.resolve("out").resolve(name);
    }

    JsonNode manifest() throws IOException {
      return new ObjectMapper().readTree(outputDir().resolve("manifest.json").toFile());
    }

    /** Ends the driver (and anything below it) if it still runs: before the cluster stops. */
    @Override
    public void close() {
      List<ProcessHandle> below = process.descendants().toList();
      process.destroyForcibly();
      below.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The metrics without the wall-clock columns, in (run, step) order. */
  static List<Row> metrics(Path dir) {
    SparkSession spark = TestSpark.session();
    return spark.read().parquet(dir.resolve("metrics").toString())
        .drop("wall_ms", "compute_ms", "optimizer_ms").orderBy("run_id", "step").collectAsList();
  }

  static synchronized List<Row> reference() throws Exception {
    if (reference == null) {
      // In this JVM, on the test's own local[2] session (RunCommand's getOrCreate finds it): one
      // Spark start less than a separate driver.
      TestSpark.session();
      Path job = DIR.resolve("ref-local2.json");
      Files.writeString(job, job("ref-local2"));
      long t0 = System.nanoTime();
      assertEquals(0, io.adaspark.cli.Main.execute("run", job.toString(), "--output", DIR.resolve("out").toString(),
          "--no-report"));
      System.err.printf("measure: ref-local2 in-process %.1f s%n", (System.nanoTime() - t0) / 1e9);
      reference = metrics(DIR.resolve("out").resolve("ref-local2"));
    }
    return reference;
  }

  /** Bit-identical: same rows, doubles compared by their bits. */
  static void assertSameMetrics(List<Row> expected, List<Row> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": rows");
    assertEquals(2 * (STEPS + 1), actual.size(), what + ": rows");
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      Row a = actual.get(i);
      for (int c = 0; c < e.length(); c++) {
        Object x = e.get(c);
        Object y = a.get(c);
        boolean same = x instanceof Double dx && y instanceof Double dy
            ? Double.doubleToRawLongBits(dx) == Double.doubleToRawLongBits(dy) : java.util.Objects.equals(x, y);
        if (!same) fail(what + ": row " + i + " column " + e.schema().fieldNames()[c] + ": " + x + " vs " + y);
      }
    }
  }

  static List<String> events(JsonNode manifest, String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : manifest.path("cluster").path("executor_events")) {
      if (e.path("event").asText().equals(kind)) out.add(e.path("executor_id").asText() + ": " + e.path("reason").asText());
    }
    return out;
  }

  @Test
  @Order(1)
  void sameMetricsOnOneCoreTwoCoresAndTheCluster() throws Exception {
    // Both drivers and the in-process reference at once: much of a Spark run is waiting.
    try (Driver oneCore = new Driver("local[1]", "det-local1");
         Driver onCluster = new Driver(cluster.masterUrl(), "det-cluster")) {
      List<Row> local2 = reference();
      oneCore.awaitSuccess();
      onCluster.awaitSuccess();
      assertSameMetrics(local2, metrics(oneCore.outputDir()), "local[1] vs local[2]");
      assertSameMetrics(local2, metrics(onCluster.outputDir()), "cluster vs local[2]");
      checkCleanClusterRun(onCluster.manifest());
    }
  }

  private void checkCleanClusterRun(JsonNode m) throws IOException {
    assertEquals(cluster.masterUrl(), m.path("cluster").path("master").asText());
    assertEquals(2, m.path("cluster").path("executors_at_end").size(), m.toPrettyString());
    assertEquals(2, m.path("cluster").path("cores").asInt(), m.toPrettyString());
    assertEquals(0, m.path("cluster").path("executors_lost").asInt(), m.toPrettyString());
    // The application jar reached the executors through the driver (client mode).
    try (var s = Files.walk(cluster.dir().resolve("work"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("adaspark.jar")), "adaspark.jar in a worker's work dir");
    }
  }

  @Test
  @Order(2)
  void executorKilledMidRunIsReplacedAndMetricsStayIdentical() throws Exception {
    List<Row> local2 = reference();
    LocalCluster.Daemon worker = cluster.workers().get(0);
    try (Driver d = new Driver(cluster.masterUrl(), "kill-executor")) {
      d.awaitStep(STEPS / 10);
      List<ProcessHandle> executors = LocalCluster.executorsOf(worker);
      assertEquals(1, executors.size(), "one executor below " + worker + ": " + executors);
      ProcessHandle victim = executors.get(0);
      long t0 = System.nanoTime();
      assertTrue(victim.destroyForcibly(), "kill -9 " + victim.pid()); // SIGKILL
      victim.onExit().get(10, TimeUnit.SECONDS);
      // The worker reports the exit and the master launches a replacement on the same worker.
      ProcessHandle replacement = null;
      while (replacement == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
        replacement = LocalCluster.executorsOf(worker).stream().filter(h -> h.pid() != victim.pid()).findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertTrue(replacement != null, "no replacement executor on " + worker);
      double launched = (System.nanoTime() - t0) / 1e9;
      // Its work dir (the process's cwd) holds its log: wait until it registered with the driver.
      Path stderr = Files.readSymbolicLink(Path.of("/proc", String.valueOf(replacement.pid()), "cwd")).resolve("stderr");
      boolean registeredDuringTraining = false;
      while (d.process.isAlive() && d.lastStep() < STEPS) {
        if (Files.exists(stderr) && Files.readString(stderr).contains("Successfully registered with driver")) {
          registeredDuringTraining = true;
          break;
        }
        Thread.sleep(50);
      }
      System.err.printf("measure: executor pid %d killed at step >= %d; replacement pid %d launched after %.1f s,"
          + " registered with the driver %s after %.1f s%n", victim.pid(), STEPS / 10, replacement.pid(), launched,
          registeredDuringTraining ? "during training" : "not before training ended", (System.nanoTime() - t0) / 1e9);
      d.awaitSuccess();
      assertSameMetrics(local2, metrics(d.outputDir()), "cluster with an executor killed vs local[2]");
      JsonNode c = d.manifest().path("cluster");
      List<String> removed = events(d.manifest(), "removed");
      assertEquals(1, removed.size(), "one executor lost: " + c.toPrettyString());
      assertTrue(removed.get(0).contains("137"), "kill -9 is exit code 137: " + removed);
      assertEquals(1, c.path("executors_lost").asInt());
      if (registeredDuringTraining) {
        // The replacement is recorded: an executor added after the loss, with a new id.
        boolean lost = false;
        boolean readded = false;
        for (JsonNode e : c.path("executor_events")) { // in the order Spark reported them
          if (e.path("event").asText().equals("removed")) lost = true;
          else if (lost) readded = true;
        }
        assertTrue(readded, "re-added executor in the manifest: " + c.toPrettyString());
        assertEquals(2, c.path("executors_at_end").size(), c.toPrettyString());
      }
    }
  }

  @Test
  @Order(3)
  void workerKilledForGoodTheJobFinishesOnTheOther() throws Exception {
    List<Row> local2 = reference();
    LocalCluster.Daemon worker = cluster.workers().get(1);
    try (Driver d = new Driver(cluster.masterUrl(), "kill-worker")) {
      d.awaitStep(STEPS / 10);
      ProcessHandle w = worker.handle().orElseThrow();
      List<ProcessHandle> executors = w.descendants().toList();
      assertFalse(executors.isEmpty(), "an executor below " + worker);
      assertTrue(w.destroyForcibly());
      executors.forEach(ProcessHandle::destroyForcibly);
      w.onExit().get(10, TimeUnit.SECONDS);
      d.awaitSuccess();
      assertSameMetrics(local2, metrics(d.outputDir()), "cluster with a worker killed vs local[2]");
      JsonNode m = d.manifest();
      assertEquals(1, events(m, "removed").size(), m.path("cluster").toPrettyString());
      assertEquals(1, m.path("cluster").path("executors_at_end").size(), m.path("cluster").toPrettyString());
      assertEquals(1, cluster.status().path("aliveworkers").asInt(), "the killed worker stays away");
    }
    assertFalse(worker.alive());
    System.err.println(cluster.describe());
    try (var s = Files.list(DIR.resolve("out"))) {
      System.err.println("outputs: " + s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(" ")));
    }
  }
}
