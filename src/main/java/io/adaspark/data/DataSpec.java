package io.adaspark.data;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;

/**
 * The job file's {@code data}: where the rows come from and how they are prepared, chosen by
 * registered type name only.
 *
 * <ul>
 *   <li>{@code libsvm}: {@link LibsvmSpec}</li>
 *   <li>{@code csv}: {@link CsvSpec}</li>
 *   <li>{@code parquet}: {@link ParquetSpec}</li>
 *   <li>{@code synthetic}: {@link SyntheticSpec} (generated on the executors)</li>
 * </ul>
 *
 * Every type shares {@code test_fraction} (0.2), {@code validation_fraction} (0),
 * {@code split_seed} (0), {@code standardize} (true) and {@code layout} ({@code auto};
 * {@code dense} or {@code sparse}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LibsvmSpec.class, name = "libsvm"),
    @JsonSubTypes.Type(value = CsvSpec.class, name = "csv"),
    @JsonSubTypes.Type(value = ParquetSpec.class, name = "parquet"),
    @JsonSubTypes.Type(value = SyntheticSpec.class, name = "synthetic"),
})
public interface DataSpec extends Serializable {
  /** Owner named in messages about the shared fields. */
  String OWNER = "data";
  /** Density below which {@code "layout": "auto"} chooses CSR blocks. */
  double SPARSE_BELOW = 0.25;

  /** The registered type name. */
  @JsonIgnore String typeName();

  /** Fraction of rows held out for test metrics, in [0, 1). */
  double testFraction();

  /**
   * Fraction of rows held out for validation metrics, in [0, 1 − test_fraction): the rows whose
   * split hash u lies in [test_fraction, test_fraction + validation_fraction), so they are
   * disjoint from the test rows (u &lt; test_fraction) and the training rows (the rest). 0 = no
   * validation split (the split of every row as without this field).
   */
  double validationFraction();

  /** Seed of the train/test split (a hash of each row's identity). */
  long splitSeed();

  /** Standardize features by the training rows' statistics. */
  boolean standardize();

  /** {@code auto}, {@code dense} or {@code sparse}. */
  String layout();

  /** The input path for file inputs; a description such as {@code synthetic:logistic} otherwise. */
  @JsonIgnore String source();

  /** A LIBSVM spec, as the job file {@code {"type": "libsvm", ...}} (kept for callers and tests). */
  static DataSpec of(String type, String path, Integer numFeatures, Double testFraction, Long splitSeed,
                     Boolean standardize) {
    if (!"libsvm".equals(type)) {
      throw new InvalidValueException(OWNER, "type", "\"libsvm\" here", type == null ? "nothing" : '"' + type + '"');
    }
    return LibsvmSpec.of(path, numFeatures, testFraction, splitSeed, standardize, null);
  }

  static double testFraction(Double v) {
    double tf = v == null ? 0.2 : v;
    Checks.inClosedOpen(OWNER, "test_fraction", tf, 0, 1);
    return tf;
  }

  static double validationFraction(Double v, double testFraction) {
    double vf = v == null ? 0 : v;
    if (!(vf >= 0 && vf + testFraction < 1)) {
      throw new InvalidValueException(OWNER, "validation_fraction",
          "a number in [0, 1 - test_fraction) = [0, " + Checks.show(1 - testFraction) + ")", Checks.show(vf));
    }
    return vf;
  }

  static String layout(String v) {
    String l = v == null ? "auto" : v;
    if (!l.equals("auto") && !l.equals("dense") && !l.equals("sparse")) {
      throw new InvalidValueException(OWNER, "layout", "one of \"auto\", \"dense\", \"sparse\"", '"' + l + '"');
    }
    return l;
  }

  static String path(String path) {
    if (path == null || path.isBlank()) {
      throw new InvalidValueException(OWNER, "path", "a file, directory or glob", path == null ? "nothing" : "\"\"");
    }
    return path;
  }

  static String labelType(String v) {
    String t = v == null ? "numeric" : v;
    if (!t.equals("numeric") && !t.equals("string")) {
      throw new InvalidValueException(OWNER, "label_type", "one of \"numeric\", \"string\"", '"' + t + '"');
    }
    return t;
  }

  static String column(String field, String v, String dflt) {
    if (v == null) return dflt;
    if (v.isEmpty()) throw new InvalidValueException(OWNER, field, "a column name", "\"\"");
    return v;
  }
}
