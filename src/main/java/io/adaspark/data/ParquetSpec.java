package io.adaspark.data;

import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code {"type": "parquet", "path": "d.parquet", "label_column": "label", "features_column":
 * "features"}}: Parquet with a label column and either one MLlib vector column
 * ({@code features_column}) or numeric columns ({@code feature_columns}; default: every column
 * except the label, in schema order).
 */
public record ParquetSpec(String path, String labelColumn, String featuresColumn, List<String> featureColumns,
                          String labelType, double testFraction, long splitSeed, boolean standardize,
                          String layout, double validationFraction) implements DataSpec {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public static ParquetSpec of(@JsonProperty("path") String path,
                               @JsonProperty("label_column") String labelColumn,
                               @JsonProperty("features_column") String featuresColumn,
                               @JsonProperty("feature_columns") List<String> featureColumns,
                               @JsonProperty("label_type") String labelType,
                               @JsonProperty("test_fraction") Double testFraction,
                               @JsonProperty("split_seed") Long splitSeed,
                               @JsonProperty("standardize") Boolean standardize,
                               @JsonProperty("layout") String layout,
                               @JsonProperty("validation_fraction") Double validationFraction) {
    DataSpec.path(path);
    if (featuresColumn != null && featureColumns != null) {
      throw new InvalidValueException(OWNER, "feature_columns", "either features_column or feature_columns, not both",
          "both");
    }
    if (featureColumns != null) {
      if (featureColumns.isEmpty()) throw new InvalidValueException(OWNER, "feature_columns", "a non-empty list of column names", "[]");
      for (int i = 0; i < featureColumns.size(); i++) {
        DataSpec.column("feature_columns[" + i + "]", featureColumns.get(i), null);
        if (featureColumns.get(i) == null) {
          throw new InvalidValueException(OWNER, "feature_columns[" + i + "]", "a column name", "null");
        }
      }
      featureColumns = List.copyOf(featureColumns);
    }
    return new ParquetSpec(path, DataSpec.column("label_column", labelColumn, "label"),
        DataSpec.column("features_column", featuresColumn, null), featureColumns, DataSpec.labelType(labelType),
        DataSpec.testFraction(testFraction), splitSeed == null ? 0L : splitSeed,
        standardize == null || standardize, DataSpec.layout(layout),
        DataSpec.validationFraction(validationFraction, DataSpec.testFraction(testFraction)));
  }

  /** Without a validation split. */
  public static ParquetSpec of(String path, String labelColumn, String featuresColumn, List<String> featureColumns,
                               String labelType, Double testFraction, Long splitSeed, Boolean standardize,
                               String layout) {
    return of(path, labelColumn, featuresColumn, featureColumns, labelType, testFraction, splitSeed, standardize,
        layout, null);
  }

  @Override public String typeName() { return "parquet"; }
  @Override public String source() { return path; }
  @JsonProperty("path") public String path() { return path; }
  @JsonProperty("label_column") public String labelColumn() { return labelColumn; }
  @JsonProperty("features_column") public String featuresColumn() { return featuresColumn; }
  @JsonProperty("feature_columns") public List<String> featureColumns() { return featureColumns; }
  @JsonProperty("label_type") public String labelType() { return labelType; }
  @JsonProperty("test_fraction") @Override public double testFraction() { return testFraction; }
  @JsonProperty("split_seed") @Override public long splitSeed() { return splitSeed; }
  @JsonProperty("standardize") @Override public boolean standardize() { return standardize; }
  @JsonProperty("layout") @Override public String layout() { return layout; }
  /** Written only when not 0, so run ids of jobs without a validation split are unchanged. */
  @JsonProperty("validation_fraction") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  @Override public double validationFraction() { return validationFraction; }
}
