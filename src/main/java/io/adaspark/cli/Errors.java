package io.adaspark.cli;

import io.adaspark.config.InvalidValueException;
import io.adaspark.config.JobFileException;
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
    if (t instanceof io.adaspark.cluster.LocalCluster.ClusterException) return t.getMessage();
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  static int exitCode(Throwable t) {
    return userCause(t) != null ? 2 : 1;
  }
}
