package io.adaspark.bench;

import io.adaspark.cli.Main;

/**
 * Entry point of the bench jar ({@code target/adaspark-bench.jar}), started by
 * {@code ./submit.sh bench} through spark-submit with the application jar on {@code --jars}. The
 * bench is not part of the product: the application jar holds no class of this package.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the bench command line without exiting the JVM (used by tests). */
  public static int execute(String... args) {
    return Main.commandLine(new BenchCommand()).execute(args);
  }
}
