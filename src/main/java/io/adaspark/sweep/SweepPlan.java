package io.adaspark.sweep;

import io.adaspark.config.Canonical;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.PlannedRun;
import io.adaspark.train.RunSpec;
import io.adaspark.train.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of a sweep, without Spark: its runs (every model and training variant × seed ×
 * optimizer configuration, each with its stable id) and their cohorts (the runs trained together
 * in one fused pass, sized by {@link DriverBudget}). {@link JobRunner} trains the plan; the
 * report, the estimators and the tests read it without a Spark session.
 */
public final class SweepPlan {
  private SweepPlan() {}

  /** The runs of a job, each with its stable id; duplicates are an error. */
  public static List<PlannedRun> plan(JobSpec job) {
    List<PlannedRun> runs = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ModelConfig model : job.models()) {
      for (TrainingSpec training : job.trainings()) {
        for (long seed : training.seeds()) {
          TrainingSpec t = training.withSeed(seed);
          for (RunSpec spec : job.optimizers()) {
            String id = Canonical.runId(job.data(), model, t, spec, seed);
            String where = spec.origin().isEmpty() ? "optimizers" : spec.origin();
            String before = seen.putIfAbsent(id, where);
            if (before != null) {
              throw JobLoader.errorAt(job.sourceName(), job.sourceText(), where, "the same run as " + before
                  + " (identical configuration and seed)");
            }
            runs.add(new PlannedRun(id, spec, seed, model, t));
          }
        }
      }
    }
    return runs;
  }

  /** Runs trained together: same model, same training variant (batch size, budget) and same seed. */
  public record Cohort(String id, int index, List<PlannedRun> runs) {}

  /**
   * Groups the runs into cohorts: runs sharing model, training variant and seed, in plan order,
   * split so that each cohort's driver memory stays within {@code training.cohort_memory_mb} and
   * its share of the driver's heap ({@link DriverBudget}: 8·n·(3 + s) bytes per run of n
   * parameters with s optimizer state doubles per parameter, whatever the partitions, plus its
   * metric rows, one a step: {@code trainRows} resolves budgets given in epochs). A cohort always
   * holds at least one run.
   */
  public static List<Cohort> cohorts(List<PlannedRun> runs, Map<ModelConfig, Integer> numParams, long trainRows,
                                     long maxHeap) {
    Map<CohortKey, List<PlannedRun>> groups = new LinkedHashMap<>();
    for (PlannedRun r : runs) {
      groups.computeIfAbsent(new CohortKey(r.model(), r.training().identity()), k -> new ArrayList<>()).add(r);
    }
    List<Cohort> out = new ArrayList<>();
    for (List<PlannedRun> g : groups.values()) {
      TrainingSpec t = g.get(0).training();
      double budget = DriverBudget.cohortBudget(t.cohortMemoryMb(), t.parallelism(), maxHeap);
      List<PlannedRun> cur = new ArrayList<>();
      double used = 0;
      for (PlannedRun r : g) {
        double bytes = DriverBudget.bytesPerRun(r, numParams.get(r.model()), trainRows);
        if (!cur.isEmpty() && used + bytes > budget) {
          out.add(cohort(cur, out.size()));
          cur = new ArrayList<>();
          used = 0;
        }
        cur.add(r);
        used += bytes;
      }
      out.add(cohort(cur, out.size()));
    }
    return out;
  }

  /**
   * What the runs of one cohort share: the model (a config record, compared by value) and the
   * training variant's identity (batch size, budget, seed, ... as in the run id; a JSON tree,
   * compared by value).
   */
  private record CohortKey(ModelConfig model, com.fasterxml.jackson.databind.JsonNode training) {}

  private static Cohort cohort(List<PlannedRun> runs, int index) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (PlannedRun r : runs) md.update((r.runId() + "\n").getBytes(StandardCharsets.UTF_8));
      return new Cohort(HexFormat.of().formatHex(md.digest(), 0, 8), index, List.copyOf(runs));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
