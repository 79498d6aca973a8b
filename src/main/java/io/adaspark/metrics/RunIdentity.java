package io.adaspark.metrics;

import io.adaspark.config.Canonical;
import io.adaspark.train.TrainingSpec;
import io.adaspark.model.LogRegConfig;
import io.adaspark.model.MlpConfig;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.PlannedRun;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * What of a run's identity the optimizer {@code config} does not say: its model variant and
 * training variant (model grids, batch-size grids), its own f*, and where in the job file its
 * optimizer configuration came from. Written beside {@code config} in {@code metrics/} and
 * {@code runs/}, so that a run's full configuration is (optimizer {@code config}, {@code model},
 * {@code training}).
 *
 * <p>The one definition of these columns: {@link #COLUMNS} (names, types, order) is spliced into
 * the {@code metrics/} and {@code runs/} schemas ({@link MetricsTables}, and so the per-cohort parts
 * of {@link CohortParts}), {@link #values(RunIdentity)} into their rows, and the report reads them
 * back by these names ({@link #MODEL}, ...).
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
  public static final String MODEL = "model";
  public static final String L2 = "l2";
  public static final String HIDDEN = "hidden";
  public static final String BATCH_SIZE = "batch_size";
  public static final String TRAINING = "training";
  public static final String F_STAR = "f_star";
  public static final String ENTRY = "entry";
  public static final String TRIAL = "trial";

  /** The identity columns in table order, all nullable (a table row may carry no identity). */
  public static final List<StructField> COLUMNS = List.of(
      DataTypes.createStructField(MODEL, DataTypes.StringType, true),
      DataTypes.createStructField(L2, DataTypes.DoubleType, true),
      DataTypes.createStructField(HIDDEN, DataTypes.StringType, true),
      DataTypes.createStructField(BATCH_SIZE, DataTypes.LongType, true),
      DataTypes.createStructField(TRAINING, DataTypes.StringType, true),
      DataTypes.createStructField(F_STAR, DataTypes.DoubleType, true),
      DataTypes.createStructField(ENTRY, DataTypes.StringType, true),
      DataTypes.createStructField(TRIAL, DataTypes.LongType, true));

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

  /** The values of {@link #COLUMNS} for a row of run identity {@code id}, in that order; all null when {@code id} is null. */
  public static Object[] values(RunIdentity id) {
    if (id == null) return new Object[COLUMNS.size()];
    return new Object[] {id.model, id.l2, id.hidden, id.batchSize, id.training, id.fStar, id.entry, id.trial};
  }
}
