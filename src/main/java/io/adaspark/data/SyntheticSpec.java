package io.adaspark.data;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code {"type": "synthetic", "generator": "logistic", "rows": 1000000, "features": 100}}:
 * rows generated on the executors, each from its own seeded stream (so a row never depends on
 * the partition count), straight into blocks.
 *
 * @param generator {@code logistic} (binary, known ground-truth weights; sparse when
 *     {@code density} < 1), {@code gaussian_mixture} (K classes), {@code spheres} (K concentric
 *     shells) or {@code xor} (binary, sign parity of the first two features)
 * @param rows n, 1 .. 2^40
 * @param features d
 * @param classes K (2 for logistic and xor; default 3 for gaussian_mixture, 2 for spheres)
 * @param density fraction of non-zero features per row, logistic only (default 1: dense)
 * @param noise probability that a row's label is replaced (flipped for binary, a uniformly
 *     drawn other class otherwise), in [0, 0.5]; default 0.05
 * @param seed seeds the rows and the ground truth
 */
public record SyntheticSpec(String generator, long rows, int features, int classes, double density, double noise,
                            long seed, double testFraction, long splitSeed, boolean standardize, String layout,
                            double validationFraction) implements DataSpec {
  private static final long serialVersionUID = 1L;
  public static final List<String> GENERATORS = List.of("gaussian_mixture", "logistic", "spheres", "xor");
  private static final String OWNER = "synthetic";

  @JsonCreator
  public static SyntheticSpec of(@JsonProperty("generator") String generator,
                                 @JsonProperty("rows") Long rows,
                                 @JsonProperty("features") Integer features,
                                 @JsonProperty("classes") Integer classes,
                                 @JsonProperty("density") Double density,
                                 @JsonProperty("noise") Double noise,
                                 @JsonProperty("seed") Long seed,
                                 @JsonProperty("test_fraction") Double testFraction,
                                 @JsonProperty("split_seed") Long splitSeed,
                                 @JsonProperty("standardize") Boolean standardize,
                                 @JsonProperty("layout") String layout,
                                 @JsonProperty("validation_fraction") Double validationFraction) {
    String known = "one of \"" + String.join("\", \"", GENERATORS) + "\"";
    if (generator == null) throw new InvalidValueException(OWNER, "generator", known, "nothing");
    if (!GENERATORS.contains(generator)) throw new InvalidValueException(OWNER, "generator", known, '"' + generator + '"');
    if (rows == null) throw new InvalidValueException(OWNER, "rows", "an integer >= 1", "nothing");
    Checks.atLeast(OWNER, "rows", rows, 1);
    if (rows > (1L << 40)) throw new InvalidValueException(OWNER, "rows", "an integer <= 2^40", rows.toString());
    if (features == null) throw new InvalidValueException(OWNER, "features", "an integer >= 1", "nothing");
    Checks.atLeast(OWNER, "features", features, generator.equals("xor") ? 2 : 1);
    int k;
    if (generator.equals("logistic") || generator.equals("xor")) {
      if (classes != null && classes != 2) {
        throw new InvalidValueException(OWNER, "classes", "2 (or absent) for " + generator, classes.toString());
      }
      k = 2;
    } else {
      k = classes == null ? (generator.equals("spheres") ? 2 : 3) : classes;
      Checks.atLeast(OWNER, "classes", k, 2);
      if (k > 1000) throw new InvalidValueException(OWNER, "classes", "an integer <= 1000", Integer.toString(k));
    }
    double dens = 1.0;
    if (density != null) {
      if (!generator.equals("logistic")) {
        throw new InvalidValueException(OWNER, "density", "absent (only the logistic generator is sparse)", Checks.show(density));
      }
      dens = Checks.inOpenClosed(OWNER, "density", density, 0, 1);
    }
    double nz = noise == null ? 0.05 : Checks.inClosed(OWNER, "noise", noise, 0, 0.5);
    return new SyntheticSpec(generator, rows, features, k, dens, nz, seed == null ? 0L : seed,
        DataSpec.testFraction(testFraction), splitSeed == null ? 0L : splitSeed,
        standardize == null || standardize, DataSpec.layout(layout),
        DataSpec.validationFraction(validationFraction, DataSpec.testFraction(testFraction)));
  }

  /** Without a validation split. */
  public static SyntheticSpec of(String generator, Long rows, Integer features, Integer classes, Double density,
                                 Double noise, Long seed, Double testFraction, Long splitSeed, Boolean standardize,
                                 String layout) {
    return of(generator, rows, features, classes, density, noise, seed, testFraction, splitSeed, standardize, layout,
        null);
  }

  /** Non-zeros per row of the sparse logistic generator (every row has exactly this many). */
  public int nnzPerRow() {
    return (int) Math.max(1, Math.min(features, Math.round(density * features)));
  }

  @Override public String typeName() { return "synthetic"; }
  @Override public String source() { return "synthetic:" + generator; }
  @JsonProperty("generator") public String generator() { return generator; }
  @JsonProperty("rows") public long rows() { return rows; }
  @JsonProperty("features") public int features() { return features; }
  @JsonProperty("classes") public int classes() { return classes; }
  @JsonProperty("density") public double density() { return density; }
  @JsonProperty("noise") public double noise() { return noise; }
  @JsonProperty("seed") public long seed() { return seed; }
  @JsonProperty("test_fraction") @Override public double testFraction() { return testFraction; }
  @JsonProperty("split_seed") @Override public long splitSeed() { return splitSeed; }
  @JsonProperty("standardize") @Override public boolean standardize() { return standardize; }
  @JsonProperty("layout") @Override public String layout() { return layout; }
  /** Written only when not 0, so run ids of jobs without a validation split are unchanged. */
  @JsonProperty("validation_fraction") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  @Override public double validationFraction() { return validationFraction; }
}
