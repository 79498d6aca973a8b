package io.adaspark.report;

/** The directory given to {@code report} is not a job output (exit code 2, one clear line). */
public final class ReportInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReportInputException(String message) {
    super(message);
  }
}
