package io.adaspark.check;

/**
 * A job file that cannot be used: the message names the file and the JSON path (or line and
 * column for syntax errors) and says what was expected, e.g.
 * {@code jobs/q.json: optimizers[1].lr: expected a number, got "abc"}.
 */
public class JobFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobFileException(String message) {
    super(message);
  }

  public JobFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
