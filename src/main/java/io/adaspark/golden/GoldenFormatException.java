package io.adaspark.golden;

/**
 * A golden file that cannot be run as written: malformed JSON or fields, or an optimizer,
 * scheduler or problem adaspark does not know. The message names the file (and case).
 */
public class GoldenFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public GoldenFormatException(String message) {
    super(message);
  }

  public GoldenFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
