package io.adaspark.train;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The evaluation column a multi-fidelity scheduler ranks configurations on at a rung, and which
 * data split it needs. A new column is one more constant here.
 */
public enum RungMetric {
  TRAIN_LOSS("train_loss", false, Split.TRAIN, MetricRow::trainLoss),
  TEST_LOSS("test_loss", false, Split.TEST, MetricRow::testLoss),
  TEST_ACCURACY("test_accuracy", true, Split.TEST, MetricRow::testAccuracy),
  VALIDATION_LOSS("validation_loss", false, Split.VALIDATION, MetricRow::validationLoss),
  VALIDATION_ACCURACY("validation_accuracy", true, Split.VALIDATION, MetricRow::validationAccuracy);

  /** The rows a metric is measured on (a job without that split cannot rank on it). */
  public enum Split { TRAIN, TEST, VALIDATION }

  /** Names that are metrics but need a split jobs cannot have yet (said so in the error): none now. */
  public static final java.util.List<String> NEEDS_VALIDATION = java.util.List.of();

  private final String column;
  private final boolean higherIsBetter;
  private final Split split;
  private final Function<MetricRow, Double> value;

  RungMetric(String column, boolean higherIsBetter, Split split, Function<MetricRow, Double> value) {
    this.column = column;
    this.higherIsBetter = higherIsBetter;
    this.split = split;
    this.value = value;
  }

  /** The metrics-table column, as written in job files. */
  public String column() {
    return column;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public Split split() {
    return split;
  }

  /** The metric of an evaluation row, or null when the row has none. */
  public Double of(MetricRow row) {
    return value.apply(row);
  }

  /** The metric named {@code column} in a job file, or null. */
  public static RungMetric byColumn(String column) {
    return Arrays.stream(values()).filter(m -> m.column.equals(column)).findFirst().orElse(null);
  }

  /** The names accepted today, for messages. */
  public static String names() {
    String[] n = Arrays.stream(values()).map(m -> m.column).toArray(String[]::new);
    return n.length == 1 ? n[0] : String.join(", ", Arrays.copyOf(n, n.length - 1)) + " or " + n[n.length - 1];
  }
}
