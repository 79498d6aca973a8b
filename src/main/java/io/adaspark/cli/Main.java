package io.adaspark.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * adaspark's command line, started by {@code submit.sh} through spark-submit
 * ({@code --class io.adaspark.cli.Main}). Exit codes: 0 success, 1 failure while running,
 * 2 bad input (job file, data, arguments).
 */
@Command(name = "adaspark", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Compare gradient-based optimizers at scale on Apache Spark.",
    subcommands = {RunCommand.class, ReportCommand.class, GoldenCommand.class, ClusterCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(args);
    // spark-submit's JVM may keep non-daemon threads: leave with the command's status.
    System.exit(code);
  }

  /** Runs a command line without exiting the JVM (used by tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return commandLine(new Main());
  }

  /**
   * A command line for {@code command} with adaspark's error handling (one line, exit 2 for bad
   * input, 1 otherwise); also used by the separate bench jar's {@code io.adaspark.bench.BenchMain}.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println("error: " + Errors.describe(ex));
      err.flush();
      return Errors.exitCode(ex);
    });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version string for --version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"adaspark " + io.adaspark.metrics.Manifest.version()};
    }
  }
}
