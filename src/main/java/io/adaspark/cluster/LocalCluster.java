package io.adaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: one master and N workers started from the Spark jars
 * Maven resolved into {@code target/spark-home} (no Spark download). The JVM command lines come
 * from Spark's own launcher ({@code org.apache.spark.launcher.Main}, as {@code bin/spark-class}
 * builds them), the workers use the same launcher library for their executors.
 *
 * <p>Everything lives under one directory ({@code target/cluster} for {@code ./submit.sh
 * cluster}): {@code pids} (role, pid and start time of every process started here),
 * {@code cluster.properties} (ports, master URL), {@code spark-cluster.conf} (the daemons'
 * Spark properties), {@code logs/}, {@code work/} (worker work dirs: executor stdout/stderr),
 * {@code local/} (SPARK_LOCAL_DIRS). {@link #stop} stops exactly the recorded processes (and
 * the executors below the workers), by pid, after checking each pid still names the process
 * that was started.
 */
public final class LocalCluster {
  public static final String HOST = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How to start a cluster. */
  public record Settings(Path sparkHome, Path confDir, Path dir, int masterPort, int webUiPort,
                         int workers, int cores, String memory) {
    public Settings {
      if (workers < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
      if (cores < 1) throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
      if (!memory.matches("[0-9]+[mMgG]")) {
        throw new IllegalArgumentException("--memory must look like 512m or 2g, got " + memory);
      }
    }

    /** Web UI port of worker i (1-based): right above the master's, as Spark's defaults 8080/8081. */
    public int workerUiPort(int i) {
      return webUiPort + i;
    }
  }

  /** A process started here: role ("master", "worker-1", ...), pid, start time (ms) or -1. */
  public record Daemon(String role, long pid, long startMillis) {
    /** The process, if it is alive and is still the one started (not a reused pid). */
    public Optional<ProcessHandle> handle() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startMillis < 0
          || h.info().startInstant().map(t -> t.toEpochMilli() == startMillis).orElse(true));
    }

    public boolean alive() {
      return handle().isPresent();
    }

    String line() {
      return role + " " + pid + " " + startMillis;
    }
  }

  /** A failure to start, stop or reach the cluster; the message is for the user. */
  public static final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final Properties props;
  private final List<Daemon> daemons;

  private LocalCluster(Path dir, Properties props, List<Daemon> daemons) {
    this.dir = dir;
    this.props = props;
    this.daemons = daemons;
  }

  public Path dir() {
    return dir;
  }

  public String masterUrl() {
    return props.getProperty("master_url");
  }

  public int webUiPort() {
    return Integer.parseInt(props.getProperty("webui_port"));
  }

  public String webUiUrl() {
    return "http://" + HOST + ":" + webUiPort();
  }

  public List<Daemon> daemons() {
    return List.copyOf(daemons);
  }

  public Daemon master() {
    return daemons.stream().filter(d -> d.role().equals("master")).findFirst().orElseThrow();
  }

  public List<Daemon> workers() {
    return daemons.stream().filter(d -> d.role().startsWith("worker-")).toList();
  }

  /** The executor JVMs a worker started: the live descendants of its process. */
  public static List<ProcessHandle> executorsOf(Daemon worker) {
    return worker.handle().map(h -> h.descendants().filter(ProcessHandle::isAlive).toList()).orElse(List.of());
  }

  // ---------------------------------------------------------------- start

  /** Starts master and workers, waits until every worker is registered; stops them again on failure. */
  public static LocalCluster start(Settings s, PrintStream log, Duration timeout) throws IOException {
    Path dir = s.dir().toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Optional<LocalCluster> running = attach(dir);
    if (running.isPresent() && running.get().daemons.stream().anyMatch(Daemon::alive)) {
      throw new ClusterException("a cluster started from " + dir + " is running (" + running.get().masterUrl()
          + "); stop it first: ./submit.sh cluster stop");
    }
    Files.deleteIfExists(dir.resolve("pids"));
    List<Integer> ports = new ArrayList<>(List.of(s.masterPort(), s.webUiPort()));
    for (int i = 1; i <= s.workers(); i++) ports.add(s.workerUiPort(i));
    for (int port : ports) {
      if (!portFree(port)) {
        throw new ClusterException("port " + port + " on " + HOST + " is in use (Spark would silently take another);"
            + " choose others with --master-port / --webui-port (workers use the web UI port + 1..N)");
      }
    }
    Path sparkHome = s.sparkHome().toAbsolutePath().normalize();
    if (!Files.isDirectory(sparkHome.resolve("jars"))) {
      throw new ClusterException(sparkHome.resolve("jars") + ": no Spark jars (build first: mvn -DskipTests package)");
    }
    if (!Files.exists(sparkHome.resolve("RELEASE"))) {
      // The launcher takes a directory with RELEASE and jars/ for a Spark distribution.
      Files.writeString(sparkHome.resolve("RELEASE"), "Spark (jars resolved by Maven for adaspark)\n");
    }
    for (String sub : List.of("logs", "work", "local", "conf")) Files.createDirectories(dir.resolve(sub));
    Path conf = writeDaemonConf(dir);
    Path logConf = dir.resolve("conf").resolve("log4j2.properties");
    Files.writeString(logConf, """
        # The cluster daemons' and executors' logging (files under logs/ and work/): Spark at WARN
        # (INFO logs every task and broadcast block), the deploy messages (registrations, executors
        # launched, lost and relaunched) at INFO.
        rootLogger.level = warn
        logger.deploy.name = org.apache.spark.deploy
        logger.deploy.level = info
        logger.backend.name = org.apache.spark.executor.CoarseGrainedExecutorBackend
        logger.backend.level = info
        rootLogger.appenderRef.stdout.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.target = SYSTEM_ERR
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
        logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
        logger.hadoop.level = error
        logger.blas.name = dev.ludovic.netlib
        logger.blas.level = error
        """);
    String masterUrl = "spark://" + HOST + ":" + s.masterPort();
    Properties props = new Properties();
    props.setProperty("master_url", masterUrl);
    props.setProperty("master_port", String.valueOf(s.masterPort()));
    props.setProperty("webui_port", String.valueOf(s.webUiPort()));
    props.setProperty("workers", String.valueOf(s.workers()));
    props.setProperty("cores", String.valueOf(s.cores()));
    props.setProperty("memory", s.memory());
    try (var w = Files.newBufferedWriter(dir.resolve("cluster.properties"))) {
      props.store(w, "adaspark local standalone cluster");
    }
    LocalCluster cluster = new LocalCluster(dir, props, new ArrayList<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      cluster.launch("master", sparkHome, dir, List.of("org.apache.spark.deploy.master.Master",
          "--host", HOST, "--port", String.valueOf(s.masterPort()), "--webui-port", String.valueOf(s.webUiPort()),
          "--properties-file", conf.toString()));
      cluster.awaitMaster(deadline);
      for (int i = 1; i <= s.workers(); i++) {
        cluster.launch("worker-" + i, sparkHome, dir, List.of("org.apache.spark.deploy.worker.Worker",
            "--host", HOST, "--webui-port", String.valueOf(s.workerUiPort(i)),
            "--cores", String.valueOf(s.cores()), "--memory", s.memory(),
            "--work-dir", dir.resolve("work").resolve("worker-" + i).toString(),
            "--properties-file", conf.toString(), masterUrl));
      }
      cluster.awaitWorkers(s.workers(), deadline);
      log.printf("cluster: master %s (web UI %s), %d workers x %d cores, %s each; pids in %s%n",
          masterUrl, cluster.webUiUrl(), s.workers(), s.cores(), s.memory(), dir.resolve("pids"));
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.stop(log);
      throw e;
    }
  }

  /** Spark properties of master and workers. */
  private static Path writeDaemonConf(Path dir) throws IOException {
    Path conf = dir.resolve("spark-cluster.conf");
    Files.writeString(conf, """
        # Written by adaspark's LocalCluster: properties of the standalone master and workers.
        # A busy port is an error, not a silent move to the next one.
        spark.port.maxRetries 0
        # No REST submission server (Spark 4 opens one on 6066 otherwise).
        spark.master.rest.enabled false
        # Executors' scratch space stays under this directory (SPARK_LOCAL_DIRS is set too).
        spark.local.dir %s
        """.formatted(dir.resolve("local")));
    return conf;
  }

  private void launch(String role, Path sparkHome, Path dir, List<String> classAndArgs) throws IOException {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13"); // no build directories: the launcher needs it, in the worker too
    env.put("SPARK_CONF_DIR", dir.resolve("conf").toString());
    env.put("SPARK_LOCAL_IP", HOST); // where the web UIs bind and which address is advertised
    env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    env.put("SPARK_WORKER_DIR", dir.resolve("work").toString());
    env.put("SPARK_LOG_DIR", dir.resolve("logs").toString());
    env.putIfAbsent("SPARK_DAEMON_MEMORY", System.getenv().getOrDefault("SPARK_DAEMON_MEMORY", "512m"));
    List<String> command = launcherCommand(sparkHome, env, classAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.directory(dir.toFile());
    File out = dir.resolve("logs").resolve(role + ".log").toFile();
    pb.redirectErrorStream(true).redirectOutput(out).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    long start = p.info().startInstant().map(t -> t.toEpochMilli()).orElse(-1L);
    daemons.add(new Daemon(role, p.pid(), start));
    writePids();
  }

  /**
   * The java command Spark's launcher builds for a class (bin/spark-class's protocol: messages,
   * a NUL line, then the NUL-separated command).
   */
  static List<String> launcherCommand(Path sparkHome, Map<String, String> env, List<String> classAndArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-cp",
        sparkHome.resolve("jars") + File.separator + "*", "org.apache.spark.launcher.Main"));
    cmd.addAll(classAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    int rc;
    try {
      rc = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    int marker = text.indexOf("\0\n");
    if (rc != 0 || marker < 0) {
      throw new ClusterException("Spark's launcher failed (exit " + rc + "): " + text.replace('\0', ' ').trim());
    }
    List<String> args = new ArrayList<>(Arrays.asList(text.substring(marker + 2).split("\0")));
    while (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) args.remove(args.size() - 1);
    return args;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** True when nothing listens on {@code port} of 127.0.0.1 (nor on the wildcard address). */
  public static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port that was free a moment ago, for tests. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private void awaitMaster(long deadline) {
    while (true) {
      checkAlive();
      try {
        JsonNode st = status();
        if ("ALIVE".equals(st.path("status").asText())) return;
      } catch (IOException e) {
        // not up yet
      }
      sleepUntil(deadline, "the master at " + webUiUrl());
    }
  }

  /** Waits until {@code n} workers are ALIVE in the master's JSON status. */
  public void awaitWorkers(int n, long deadlineNanos) {
    while (true) {
      checkAlive();
      try {
        if (status().path("aliveworkers").asInt() >= n) return;
      } catch (IOException e) {
        // retry
      }
      sleepUntil(deadlineNanos, n + " registered workers");
    }
  }

  private void checkAlive() {
    for (Daemon d : daemons) {
      if (!d.alive()) {
        throw new ClusterException(d.role() + " (pid " + d.pid() + ") exited; see " + logOf(d) + ":\n" + tail(logOf(d), 15));
      }
    }
  }

  private static void sleepUntil(long deadline, String what) {
    if (System.nanoTime() > deadline) throw new ClusterException("timed out waiting for " + what);
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted waiting for " + what);
    }
  }

  public Path logOf(Daemon d) {
    return dir.resolve("logs").resolve(d.role() + ".log");
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** The master's JSON status ({@code /json/} of its web UI). */
  public JsonNode status() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(webUiUrl() + "/json/").toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    try (InputStream in = c.getInputStream()) {
      return JSON.readTree(in);
    } finally {
      c.disconnect();
    }
  }

  // ---------------------------------------------------------------- attach / stop

  /** The cluster recorded under {@code dir}, if any (its processes may have died since). */
  public static Optional<LocalCluster> attach(Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    Path propsFile = dir.resolve("cluster.properties");
    Path pids = dir.resolve("pids");
    if (!Files.exists(propsFile) || !Files.exists(pids)) return Optional.empty();
    Properties props = new Properties();
    try (var r = Files.newBufferedReader(propsFile)) {
      props.load(r);
    }
    List<Daemon> daemons = new ArrayList<>();
    for (String line : Files.readAllLines(pids)) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) daemons.add(new Daemon(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
    return Optional.of(new LocalCluster(dir, props, daemons));
  }

  private void writePids() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Daemon d : daemons) sb.append(d.line()).append('\n');
    Path tmp = dir.resolve("pids.tmp");
    Files.writeString(tmp, sb.toString());
    Files.move(tmp, dir.resolve("pids"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Stops the recorded processes: each worker with the executors below it, then the master
   * (SIGTERM, then SIGKILL after 10 s). Returns how many processes were still running.
   */
  public int stop(PrintStream log) throws IOException {
    int stopped = 0;
    List<Daemon> order = new ArrayList<>(workers());
    order.addAll(daemons.stream().filter(d -> !d.role().startsWith("worker-")).toList());
    for (Daemon d : order) {
      Optional<ProcessHandle> h = d.handle();
      if (h.isEmpty()) continue;
      List<ProcessHandle> below = h.get().descendants().toList();
      terminate(h.get());
      for (ProcessHandle e : below) terminate(e);
      log.printf("cluster: stopped %s (pid %d)%s%n", d.role(), d.pid(),
          below.isEmpty() ? "" : " and " + below.size() + " process(es) it started");
      stopped++;
    }
    Files.deleteIfExists(dir.resolve("pids"));
    return stopped;
  }

  private static void terminate(ProcessHandle h) {
    if (!h.isAlive()) return;
    h.destroy();
    try {
      h.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's next status
      }
    }
  }

  /** A human-readable status: master, workers with cores and memory, running applications. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    Daemon m = master();
    sb.append(String.format("master   %s  web UI %s  pid %d%s%n", masterUrl(), webUiUrl(), m.pid(),
        m.alive() ? "" : " (not running)"));
    JsonNode st;
    try {
      st = status();
    } catch (IOException e) {
      sb.append("master status unavailable: ").append(e.getMessage()).append('\n');
      for (Daemon d : workers()) {
        sb.append(String.format("%-8s pid %d %s%n", d.role(), d.pid(), d.alive() ? "running" : "not running"));
      }
      return sb.toString();
    }
    sb.append(String.format("workers  %d alive, %d cores (%d used), %d MiB (%d used)%n",
        st.path("aliveworkers").asInt(), st.path("cores").asInt(), st.path("coresused").asInt(),
        st.path("memory").asInt(), st.path("memoryused").asInt()));
    for (JsonNode w : st.path("workers")) {
      sb.append(String.format("  %-40s %-6s %d cores (%d used) %d MiB  %s%n", w.path("id").asText(),
          w.path("state").asText(), w.path("cores").asInt(), w.path("coresused").asInt(),
          w.path("memory").asInt(), w.path("webuiaddress").asText()));
    }
    for (Daemon d : workers()) {
      sb.append(String.format("  %-8s pid %d %s, executors: %s%n", d.role(), d.pid(),
          d.alive() ? "running" : "not running",
          executorsOf(d).stream().map(h -> String.valueOf(h.pid())).toList()));
    }
    JsonNode apps = st.path("activeapps");
    sb.append(String.format("applications running: %d%n", apps.size()));
    for (JsonNode a : apps) {
      sb.append(String.format("  %s  %s  %d cores  %s%n", a.path("id").asText(), a.path("name").asText(),
          a.path("cores").asInt(), a.path("state").asText()));
    }
    return sb.toString();
  }
}
