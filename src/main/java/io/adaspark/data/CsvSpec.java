package io.adaspark.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code {"type": "csv", "path": "data/iris.csv", "label_column": "label"}}: comma-separated
 * text with a header line in every file; the label column is found by name, every other column
 * is a numeric feature (in header order).
 *
 * @param labelColumn the header name of the label column (default {@code label})
 * @param labelType {@code numeric} (class indices 0..K-1 or -1/+1) or {@code string}
 *     (distinct values sorted, then numbered 0..K-1)
 */
public record CsvSpec(String path, String labelColumn, String labelType, double testFraction,
                      long splitSeed, boolean standardize, String layout, double validationFraction)
    implements DataSpec {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public static CsvSpec of(@JsonProperty("path") String path,
                           @JsonProperty("label_column") String labelColumn,
                           @JsonProperty("label_type") String labelType,
                           @JsonProperty("test_fraction") Double testFraction,
                           @JsonProperty("split_seed") Long splitSeed,
                           @JsonProperty("standardize") Boolean standardize,
                           @JsonProperty("layout") String layout,
                           @JsonProperty("validation_fraction") Double validationFraction) {
    DataSpec.path(path);
    double tf = DataSpec.testFraction(testFraction);
    return new CsvSpec(path, DataSpec.column("label_column", labelColumn, "label"), DataSpec.labelType(labelType),
        tf, splitSeed == null ? 0L : splitSeed,
        standardize == null || standardize, DataSpec.layout(layout), DataSpec.validationFraction(validationFraction, tf));
  }

  /** Without a validation split. */
  public static CsvSpec of(String path, String labelColumn, String labelType, Double testFraction, Long splitSeed,
                           Boolean standardize, String layout) {
    return of(path, labelColumn, labelType, testFraction, splitSeed, standardize, layout, null);
  }

  @Override public String typeName() { return "csv"; }
  @Override public String source() { return path; }
  @JsonProperty("path") public String path() { return path; }
  @JsonProperty("label_column") public String labelColumn() { return labelColumn; }
  @JsonProperty("label_type") public String labelType() { return labelType; }
  @JsonProperty("test_fraction") @Override public double testFraction() { return testFraction; }
  @JsonProperty("split_seed") @Override public long splitSeed() { return splitSeed; }
  @JsonProperty("standardize") @Override public boolean standardize() { return standardize; }
  @JsonProperty("layout") @Override public String layout() { return layout; }
  /** Written only when not 0, so run ids of jobs without a validation split are unchanged. */
  @JsonProperty("validation_fraction") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  @Override public double validationFraction() { return validationFraction; }
}
