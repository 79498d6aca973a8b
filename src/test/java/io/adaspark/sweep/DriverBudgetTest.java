package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.cli.Cli;
import io.adaspark.check.InvalidValueException;
import io.adaspark.check.JobFileException;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.train.TrainingSpec;
import io.adaspark.model.ModelConfig;
import io.adaspark.train.PlannedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cohorts sized by what the driver holds per run (8·n·(3 + s) bytes, whatever the partitions),
 * and the refusal, before training, of a job whose single run cannot fit.
 */
class DriverBudgetTest {
  static String job(String model, String optimizers, String training, Path out) {
    return """
        {"name": "budget",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": %s,
         "training": %s,
         "optimizers": %s,
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), model, training, optimizers, out);
  }

  static final String FOUR_ADAMS = "[{\"type\": \"adam\", \"lr\": [0.1, 0.01, 0.001, 0.0001]}]";

  /** A logistic-regression job of {@link #FOUR_ADAMS} with this {@code training} object, as "job.json". */
  static JobSpec fourAdams(String training) {
    return JobLoader.parse(job("{\"type\": \"logreg\"}", FOUR_ADAMS, training, Path.of("out")), "job.json");
  }

  @Test
  void cohortsCountParametersStateGradientAndBroadcastNotPartitions() {
    for (int partitions : new int[] {4, 64, 256}) {
      JobSpec job = fourAdams("{\"batch_size\": 8, \"steps\": 2, \"partitions\": " + partitions + ", \"cohort_memory_mb\": 100}");
      List<PlannedRun> runs = SweepPlan.plan(job);
      assertEquals(4, runs.size());
      ModelConfig mc = job.models().get(0);
      // n = 10^6: 8 bytes × 10^6 × (3 + 2 Adam moments) = 40,000,000 bytes = 38.1 MB a run; 2 fit in 100 MB
      Map<ModelConfig, Integer> sizes = Map.of(mc, 1_000_000);
      assertEquals(40_000_000.0, DriverBudget.bytesPerRun(1_000_000, 2));
      List<SweepPlan.Cohort> cohorts = SweepPlan.cohorts(runs, sizes, 1000, 8L << 30);
      assertEquals(List.of(2, 2), cohorts.stream().map(c -> c.runs().size()).toList(), "P = " + partitions);
      // a 100 MB heap gives cohorts 50 MB: one run each
      assertEquals(4, SweepPlan.cohorts(runs, sizes, 1000, 100L << 20).size());
      DriverBudget.checkFits("job.json", runs, sizes, 1000, 1, 8L << 30);
    }
  }

  @Test
  void aRunThatCannotFitIsRefusedWithItsNumbers() {
    JobSpec job = fourAdams("{\"batch_size\": 8, \"steps\": 2, \"parallelism\": 2}");
    List<PlannedRun> runs = SweepPlan.plan(job);
    Map<ModelConfig, Integer> sizes = Map.of(job.models().get(0), 10_000_001);
    JobFileException e = assertThrows(JobFileException.class,
        () -> DriverBudget.checkFits("job.json", runs, sizes, 1000, 2, 512L << 20));
    // 8 × 10,000,001 × 5 = 400,000,040 bytes = 381.5 MB; 0.5 × 512 MB / 2 = 128 MB
    assertEquals("job.json: training: one run cannot fit the driver: n = 10000001 parameters, K = 1 of 4 runs, "
        + "2 optimizer state doubles per parameter need 8·n·(3 + 2) = 381.5 MB and its metric rows 0.0 MB, the "
        + "driver has 128.0 MB (0.50 of max heap 512.0 MB / parallelism 2); raise --driver-memory, use a smaller "
        + "model or fewer steps", e.getMessage());
    DriverBudget.checkFits("job.json", runs, sizes, 1000, 1, 1L << 30); // 381.5 MB < 512 MB: fits
  }

  @Test
  void cohortsCountTheMetricRowsTheirRunsKeepUntilCommitted() {
    // breast-cancer-sized logreg (n = 31), 4 Adam runs of 10^6 steps, evaluated every 10^6 steps:
    // rows 160 B × (10^6 + 1) + evaluations 128 B × (10^6 / 10^6 + 1) = 160,000,416 B a run,
    // parameters 8 × 31 × (3 + 2) = 1,240 B; a 1 GiB heap gives cohorts 536,870,912 B: 3 runs fit
    // (480,004,968 B), 4 do not (640,006,624 B).
    JobSpec job = fourAdams("{\"batch_size\": 8, \"steps\": 1000000, \"eval_every\": 1000000}");
    List<PlannedRun> runs = SweepPlan.plan(job);
    Map<ModelConfig, Integer> sizes = Map.of(job.models().get(0), 31);
    assertEquals(160_000_416.0, DriverBudget.rowBytesPerRun(1_000_000, 1_000_000));
    assertEquals(160_001_656.0, DriverBudget.bytesPerRun(runs.get(0), 31, 460));
    assertEquals(List.of(3, 1), SweepPlan.cohorts(runs, sizes, 460, 1L << 30).stream()
        .map(c -> c.runs().size()).toList());
    DriverBudget.checkFits("job.json", runs, sizes, 460, 1, 1L << 30);
    // ten times the steps: one run's rows alone (1.6 GB) cannot fit a 1 GiB driver: refused before training
    JobSpec longer = fourAdams("{\"batch_size\": 8, \"steps\": 10000000, \"eval_every\": 10000000}");
    JobFileException e = assertThrows(JobFileException.class, () -> DriverBudget.checkFits("job.json",
        SweepPlan.plan(longer), sizes, 460, 1, 1L << 30));
    assertEquals("job.json: training: one run cannot fit the driver: n = 31 parameters, K = 1 of 4 runs, "
        + "2 optimizer state doubles per parameter need 8·n·(3 + 2) = 0.0 MB and its metric rows 1525.9 MB, the "
        + "driver has 512.0 MB (0.50 of max heap 1024.0 MB); raise --driver-memory, use a smaller "
        + "model or fewer steps", e.getMessage());
    // an epoch budget resolves against the training rows: 2 epochs of 460 rows at B = 8 are 2 × 58 = 116 steps
    JobSpec epochs = fourAdams("{\"batch_size\": 8, \"epochs\": 2, \"eval_every\": 1000}");
    assertEquals(8 * 31 * 5 + 160.0 * 117 + 128.0 * 1, DriverBudget.bytesPerRun(SweepPlan.plan(epochs).get(0), 31, 460));
  }

  @Test
  void aRunWhoseFullPassCannotFitIsRefusedWithItsNumbers() {
    JobSpec job = fourAdams("{\"batch_size\": 8, \"steps\": 2, \"partitions\": 256}");
    List<PlannedRun> runs = SweepPlan.plan(job);
    Map<ModelConfig, Integer> sizes = Map.of(job.models().get(0), 1_000_001);
    JobFileException e = assertThrows(JobFileException.class,
        () -> DriverBudget.checkPassFits("job.json", runs, sizes, 256, 1, 2, true, 512L << 20));
    // P = 256, F = 16: 16 tasks; local[2]: 8 × 1,000,001 × (16 + 1 + 5·2) = 216,000,216 bytes = 206.0 MB;
    // 0.3 × 512 MB = 153.6 MB
    assertEquals("job.json: training: one run's full pass cannot fit the driver: n = 1000001 parameters, T = 16 tree "
        + "tasks (partitions 256, fan_in 16), S = 2 executor slots in local mode need 8·n·(T + 1 + 5·S) = 206.0 MB, "
        + "the driver has 153.6 MB (0.30 of max heap 512.0 MB); raise --driver-memory, lower training.fan_in or "
        + "use a smaller model", e.getMessage());
    // on a cluster the executors' copies are not the driver's: 8 × 1,000,001 × (16 + 1 + 2) = 144.9 MB fits
    DriverBudget.checkPassFits("job.json", runs, sizes, 256, 1, 2, false, 512L << 20);
    // a 1 GB driver has 307.2 MB for passes: fits in local mode too
    DriverBudget.checkPassFits("job.json", runs, sizes, 256, 1, 2, true, 1L << 30);
  }

  @Test
  void theCommandLineRefusesBeforeTrainingWithExitCode2(@TempDir Path tmp) throws IOException {
    TestSpark.session(); // the command line runs on the tests' shared session
    // An MLP of 13 → 20000 → 20000 → 2: 400,340,002 parameters, 15 GB a run with Adam: no test JVM fits it.
    Path file = tmp.resolve("huge.json");
    Path out = tmp.resolve("out");
    Files.writeString(file, job("{\"type\": \"mlp\", \"hidden\": [20000, 20000], \"activation\": \"tanh\"}",
        "[{\"type\": \"adam\", \"lr\": 0.01}]", "{\"batch_size\": 8, \"steps\": 2, \"partitions\": 2}", out));
    Cli.Result r = Cli.run("run", file.toString(), "--no-report");
    assertEquals(2, r.code(), r.err());
    String line = r.err().lines().filter(l -> l.contains("cannot fit")).findFirst().orElse("");
    assertTrue(line.contains(file + ": training: one run cannot fit the driver: n = 400340002 parameters, K = 1 of 1 "
        + "runs, 2 optimizer state doubles per parameter need 8·n·(3 + 2) = 15271.8 MB"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(out.resolve("budget")), "nothing written");
  }

  @Test
  void fanInIsValidatedAndJoinsTheRunIdOnlyWhenItChangesTheTree() {
    InvalidValueException e = assertThrows(InvalidValueException.class, () -> TrainingSpec.fromJson(8, 2L, null, null,
        null, null, 4, null, null, null, null, null, null, null, 1));
    assertTrue(e.getMessage().contains("fan_in"), e.getMessage());
    TrainingSpec flat = TrainingSpec.fromJson(8, 2L, null, null, null, null, 4, null, null, null, null, null, null, null, null);
    TrainingSpec wide = TrainingSpec.fromJson(8, 2L, null, null, null, null, 4, null, null, null, null, null, null, null, 4);
    TrainingSpec tree = TrainingSpec.fromJson(8, 2L, null, null, null, null, 4, null, null, null, null, null, null, null, 2);
    assertEquals(16, flat.fanIn());
    assertEquals(flat.identity(), wide.identity(), "F >= P: the flat sum, the same bits, the same id");
    assertEquals(2, tree.identity().path("fan_in").asInt());
    assertFalse(flat.identity().has("fan_in"));
  }
}
