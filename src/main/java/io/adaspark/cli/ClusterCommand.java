package io.adaspark.cli;

import io.adaspark.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cluster start|stop|status}: a Spark standalone cluster on 127.0.0.1 from the Maven-resolved
 * Spark jars ({@link LocalCluster}). Run by {@code submit.sh} as a plain java command (no spark-submit).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"A Spark standalone cluster on 127.0.0.1 (master + workers) from the Spark jars",
        "in target/spark-home; state, logs and scratch space under target/cluster."},
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The project directory: set by submit.sh, else the working directory. */
  static Path root() {
    return Path.of(System.getProperty("adaspark.root", ".")).toAbsolutePath().normalize();
  }

  static class DirOption {
    @Option(names = "--dir", paramLabel = "DIR",
        description = "state, logs and scratch space of the cluster (default: target/cluster)")
    Path dir;

    Path dir() {
      return dir != null ? dir : root().resolve("target").resolve("cluster");
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Start a master and N workers on 127.0.0.1 and wait until every worker is registered.",
          "Web UIs bind to 127.0.0.1 only. Busy ports are an error (never moved)."})
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin
    DirOption dir = new DirOption();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cores", paramLabel = "C", defaultValue = "1", description = "cores per worker (default: ${DEFAULT-VALUE})")
    int cores;

    @Option(names = "--memory", paramLabel = "M", defaultValue = "1g",
        description = "memory per worker, for its executors (default: ${DEFAULT-VALUE})")
    String memory;

    @Option(names = "--master-port", paramLabel = "P", defaultValue = "7077", description = "master port (default: ${DEFAULT-VALUE})")
    int masterPort;

    @Option(names = "--webui-port", paramLabel = "P", defaultValue = "8080",
        description = "master web UI port; worker i uses P+i (default: ${DEFAULT-VALUE})")
    int webUiPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "wait at most this long for the workers to register (default: ${DEFAULT-VALUE})")
    int timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      LocalCluster.Settings settings;
      try {
        settings = new LocalCluster.Settings(root().resolve("target").resolve("spark-home"), root().resolve("conf"),
            dir.dir(), masterPort, webUiPort, workers, cores, memory);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      LocalCluster cluster = LocalCluster.start(settings, System.err, Duration.ofSeconds(timeout));
      System.out.print(cluster.describe());
      System.out.println("submit:   ./submit.sh --master " + cluster.masterUrl() + " run jobs/quickstart.json");
      System.out.println("stop:     ./submit.sh cluster stop");
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Stop exactly the processes `cluster start` started (by pid), and their executors.",
          "Stop client-mode drivers first: a driver whose master is gone waits for it."})
  static final class Stop implements Callable<Integer> {
    @CommandLine.Mixin
    DirOption dir = new DirOption();

    @Override
    public Integer call() throws Exception {
      Optional<LocalCluster> cluster = LocalCluster.attach(dir.dir());
      if (cluster.isEmpty()) {
        System.err.println("cluster: none recorded in " + dir.dir());
        return 0;
      }
      try {
        int apps = cluster.get().status().path("activeapps").size();
        if (apps > 0) System.err.println("cluster: note: " + apps + " application(s) still running; their drivers lose the master");
      } catch (java.io.IOException e) {
        // master not reachable: stop what is there
      }
      int n = cluster.get().stop(System.err);
      System.err.println("cluster: " + (n == 0 ? "nothing was running" : "stopped " + n + " process(es)"));
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Print master URL, workers with cores and memory, running applications.",
          "Exit code 0 when the master is running, 1 otherwise."})
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin
    DirOption dir = new DirOption();

    @Override
    public Integer call() throws Exception {
      Optional<LocalCluster> cluster = LocalCluster.attach(dir.dir());
      if (cluster.isEmpty()) {
        System.out.println("no cluster running (none recorded in " + dir.dir() + "); start one: ./submit.sh cluster start");
        return 1;
      }
      System.out.print(cluster.get().describe());
      return cluster.get().master().alive() ? 0 : 1;
    }
  }
}
