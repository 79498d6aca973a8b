package io.adaspark.cli;

import io.adaspark.check.InvalidValueException;
import io.adaspark.check.JobFileException;
import io.adaspark.data.DataException;

/** Turns exceptions (possibly wrapped by Spark task failures) into one clear line. */
final class Errors {
  private Errors() {}

  /** The user-facing cause: a bad job file or bad data, found anywhere in the cause chain. */
  static Throwable userCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof JobFileException || c instanceof DataException || c instanceof InvalidValueException) {
        return c;
      }
    }
    return null;
  }

  static String describe(Throwable t) {
    Throwable user = userCause(t);
    if (user != null) return user.getMessage();
    if (t instanceof Logged l) return describe(l.getCause()) + "\nfull log: " + l.log;
    if (t instanceof io.adaspark.cluster.LocalCluster.ClusterException) return t.getMessage();
    String msg = t.getMessage();
    // A failure that is not bad input: its first line (Spark's task failures carry the remote stack after it).
    if (msg != null && msg.indexOf('\n') >= 0) msg = msg.substring(0, msg.indexOf('\n')).stripTrailing();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  /** A failure whose full story (stack traces, Spark's task failures) is in the driver log {@code log}. */
  static final class Logged extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String log;

    Logged(Throwable cause, java.nio.file.Path log) {
      super(cause.getMessage(), cause);
      this.log = String.valueOf(log);
    }
  }

  static int exitCode(Throwable t) {
    return userCause(t) != null ? 2 : 1;
  }
}
