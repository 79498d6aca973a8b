package io.adaspark.data;

import io.adaspark.check.Checks;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code {"type": "libsvm", "path": "data/a.libsvm", "num_features": 30}}: LIBSVM text
 * ({@code label idx:value ...}, 1-based increasing indices), plain or compressed.
 *
 * @param numFeatures d; the largest index in the data when absent
 */
public record LibsvmSpec(String path, Integer numFeatures, double testFraction, long splitSeed,
                         boolean standardize, String layout, double validationFraction) implements DataSpec {
  private static final long serialVersionUID = 1L;

  @JsonCreator
  public static LibsvmSpec of(@JsonProperty("path") String path,
                              @JsonProperty("num_features") Integer numFeatures,
                              @JsonProperty("test_fraction") Double testFraction,
                              @JsonProperty("split_seed") Long splitSeed,
                              @JsonProperty("standardize") Boolean standardize,
                              @JsonProperty("layout") String layout,
                              @JsonProperty("validation_fraction") Double validationFraction) {
    DataSpec.path(path);
    if (numFeatures != null) Checks.atLeast(OWNER, "num_features", numFeatures, 1);
    double tf = DataSpec.testFraction(testFraction);
    return new LibsvmSpec(path, numFeatures, tf,
        splitSeed == null ? 0L : splitSeed, standardize == null || standardize, DataSpec.layout(layout),
        DataSpec.validationFraction(validationFraction, tf));
  }

  /** Without a validation split. */
  public static LibsvmSpec of(String path, Integer numFeatures, Double testFraction, Long splitSeed,
                              Boolean standardize, String layout) {
    return of(path, numFeatures, testFraction, splitSeed, standardize, layout, null);
  }

  @Override public String typeName() { return "libsvm"; }
  @Override public String source() { return path; }
  @JsonProperty("path") public String path() { return path; }
  @JsonProperty("num_features") public Integer numFeatures() { return numFeatures; }
  @JsonProperty("test_fraction") @Override public double testFraction() { return testFraction; }
  @JsonProperty("split_seed") @Override public long splitSeed() { return splitSeed; }
  @JsonProperty("standardize") @Override public boolean standardize() { return standardize; }
  @JsonProperty("layout") @Override public String layout() { return layout; }
  /** Written only when not 0, so run ids of jobs without a validation split are unchanged. */
  @JsonProperty("validation_fraction") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  @Override public double validationFraction() { return validationFraction; }
}
