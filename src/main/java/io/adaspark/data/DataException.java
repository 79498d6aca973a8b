package io.adaspark.data;

/** Input data that cannot be trained on; the message names the file (and line) and the fault. */
public class DataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
