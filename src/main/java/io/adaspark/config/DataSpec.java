package io.adaspark.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * The job file's {@code data}: where the rows come from and how they are prepared.
 *
 * @param type input format; {@code libsvm} for now
 * @param path file, directory or glob, any Hadoop file-system URI
 * @param numFeatures d; inferred from the data when absent
 * @param testFraction fraction of rows held out for test metrics, in [0, 1)
 * @param splitSeed seed of the train/test split (by row identity, so independent of partitions)
 * @param standardize centre and scale every feature by the training rows' mean and standard
 *     deviation (MLlib's Summarizer; sample std, as MLlib's StandardScaler)
 */
public record DataSpec(String type, String path, Integer numFeatures, double testFraction,
                       long splitSeed, boolean standardize) implements Serializable {

  @JsonCreator
  public static DataSpec of(@JsonProperty("type") String type,
                            @JsonProperty("path") String path,
                            @JsonProperty("num_features") Integer numFeatures,
                            @JsonProperty("test_fraction") Double testFraction,
                            @JsonProperty("split_seed") Long splitSeed,
                            @JsonProperty("standardize") Boolean standardize) {
    if (type == null) throw new InvalidValueException("data", "type", "one of \"libsvm\"", "nothing");
    if (!type.equals("libsvm")) {
      throw new InvalidValueException("data", "type", "one of \"libsvm\"", '"' + type + '"');
    }
    if (path == null || path.isBlank()) {
      throw new InvalidValueException("data", "path", "a file, directory or glob", "nothing");
    }
    if (numFeatures != null) Checks.atLeast("data", "num_features", numFeatures, 1);
    double tf = testFraction == null ? 0.2 : testFraction;
    Checks.inClosedOpen("data", "test_fraction", tf, 0, 1);
    return new DataSpec(type, path, numFeatures, tf, splitSeed == null ? 0L : splitSeed,
        standardize == null || standardize);
  }

  @JsonProperty("type") public String type() { return type; }
  @JsonProperty("path") public String path() { return path; }
  @JsonProperty("num_features") public Integer numFeatures() { return numFeatures; }
  @JsonProperty("test_fraction") public double testFraction() { return testFraction; }
  @JsonProperty("split_seed") public long splitSeed() { return splitSeed; }
  @JsonProperty("standardize") public boolean standardize() { return standardize; }
}
