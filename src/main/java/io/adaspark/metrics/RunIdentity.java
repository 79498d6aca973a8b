package io.adaspark.metrics;

import io.adaspark.config.Canonical;
import io.adaspark.train.TrainingSpec;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.MlpConfig;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.PlannedRun;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a run's identity the optimizer {@code config} does not say: its model variant and
 * training variant (model grids, batch-size grids), its own f*, and where in the job file its
 * optimizer configuration came from. Written beside {@code config} in {@code metrics/} and
 * {@code runs/}, so that a run's full configuration is (optimizer {@code config}, {@code model},
 * {@code training}).
 *
 * @param model the model variant as canonical JSON (sorted keys, every default)
 * @param l2 the model's L2 coefficient (typed copy of a commonly swept field)
 * @param hidden an MLP's hidden sizes as {@code "64,32"}, or null for other models
 * @param batchSize the training variant's batch size
 * @param training the training variant as canonical JSON without the seed
 *     ({@link TrainingSpec#identity()}: batch size, budget, evaluation interval, partitions, ...)
 * @param fStar f* of this run's model variant, or null when the job did not compute it
 * @param entry the optimizer entry of the job file, e.g. {@code optimizers[2]}
 * @param trial the random-search draw of that entry (0-based), or null for grid points
 */
public record RunIdentity(String model, Double l2, String hidden, long batchSize, String training, Double fStar,
                          String entry, Long trial) implements Serializable {
  private static final Pattern SAMPLE = Pattern.compile("\\(sample (\\d+):");

  /** The identity of a planned run; {@code fStar} may be null. */
  public static RunIdentity of(PlannedRun run, Double fStar) {
    ModelConfig m = run.model();
    Double l2 = m instanceof LogRegConfig lr ? Double.valueOf(lr.l2()) : m instanceof MlpConfig mlp ? mlp.l2() : null;
    String hidden = m instanceof MlpConfig mlp
        ? String.join(",", mlp.hidden().stream().map(String::valueOf).toList()) : null;
    com.fasterxml.jackson.databind.node.ObjectNode t = run.training().identity();
    t.remove("seed");
    String origin = run.spec().origin() == null ? "" : run.spec().origin();
    int sp = origin.indexOf(' ');
    String entry = sp < 0 ? origin : origin.substring(0, sp);
    Matcher mt = SAMPLE.matcher(origin);
    Long trial = mt.find() ? Long.valueOf(mt.group(1)) : null;
    return new RunIdentity(Canonical.toJson(Canonical.mapper().valueToTree(m)), l2, hidden,
        run.training().batchSize(), Canonical.toJson(t), fStar, entry, trial);
  }
}
