package io.adaspark.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs adaspark's command line in-process (on the tests' shared SparkSession), capturing output. */
public final class Cli {
  private Cli() {}

  /** Exit code and what the command printed. */
  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      return new Result(Main.execute(args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
