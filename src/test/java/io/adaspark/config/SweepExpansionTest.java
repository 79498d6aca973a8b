package io.adaspark.config;

import io.adaspark.train.TrainingSpec;
import io.adaspark.train.RunSpec;

import io.adaspark.check.JobFileException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.model.LogRegConfig;
import io.adaspark.optim.Adam;
import io.adaspark.optim.Sgd;
import io.adaspark.sweep.SweepPlan;
import io.adaspark.train.PlannedRun;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grid and random expansion of job files, error paths, and run-id stability. */
class SweepExpansionTest {
  static String job(String training, String model, String optimizers) {
    return """
        {"name": "s", "data": {"type": "libsvm", "path": "data/x.libsvm"},
         "model": %s, "training": %s, "optimizers": %s}
        """.formatted(model, training, optimizers);
  }

  static JobSpec parse(String text) {
    return JobLoader.parse(text, "job.json");
  }

  /** The error's message with its line and column (checked present) taken out, as {@link JobLoaderTest#error}. */
  static String error(String text) {
    return JobLoaderTest.withoutLocation(assertThrows(JobFileException.class, () -> parse(text)).getMessage());
  }

  static final String TRAINING = "{\"batch_size\": 8, \"steps\": 10}";
  static final String MODEL = "{\"type\": \"logreg\"}";

  @Test
  void gridAxesAreCrossedInFieldOrder() {
    JobSpec j = parse(job(TRAINING, MODEL,
        "[{\"type\": \"sgd\", \"lr\": [0.1, 0.01, 0.001], \"momentum\": [0, 0.9]}, {\"type\": \"adam\"}]"));
    assertEquals(7, j.optimizers().size());
    double[][] expected = {{0.1, 0}, {0.1, 0.9}, {0.01, 0}, {0.01, 0.9}, {0.001, 0}, {0.001, 0.9}};
    for (int i = 0; i < 6; i++) {
      Sgd.Config c = (Sgd.Config) j.optimizers().get(i).optimizer();
      assertEquals(expected[i][0], c.lr());
      assertEquals(expected[i][1], c.momentum());
    }
    assertEquals("optimizers[0] lr[2] momentum[1]", j.optimizers().get(5).origin());
    assertEquals("adam", j.optimizers().get(6).optimizer().typeName());
  }

  @Test
  void arrayFieldsTakeAListOfArraysAsAnAxisAndAPlainArrayAsTheValue() {
    JobSpec one = parse(job(TRAINING, MODEL, "[{\"type\": \"adam\", \"betas\": [0.8, 0.99]}]"));
    assertEquals(1, one.optimizers().size());
    JobSpec two = parse(job(TRAINING, MODEL,
        "[{\"type\": \"adam\", \"betas\": [[0.8, 0.99], [0.9, 0.999]], \"lr\": [0.1, 0.2]}]"));
    assertEquals(4, two.optimizers().size());
    Adam.Config c = (Adam.Config) two.optimizers().get(3).optimizer();
    assertEquals(0.9, c.betas().b1());
    assertEquals(0.999, c.betas().b2());
    assertEquals(0.2, c.lr());
  }

  @Test
  void schedulesClippingModelBatchSizeAndSeedsAreSweepable() {
    JobSpec j = parse(job("{\"batch_size\": [8, 16], \"steps\": 10, \"seeds\": [1, 2, 3]}",
        "{\"type\": \"logreg\", \"l2\": [0, 0.01]}",
        "[{\"type\": \"sgd\", \"lr\": 0.1, \"schedule\": {\"type\": \"step\", \"step_size\": [5, 10], \"gamma\": 0.5},"
            + " \"clip\": {\"max_norm\": [1, 2]}}]"));
    assertEquals(4, j.optimizers().size());
    assertEquals(List.of(new LogRegConfig(0, false), new LogRegConfig(0.01, false)), j.models());
    assertEquals(List.of(8, 16), j.trainings().stream().map(TrainingSpec::batchSize).toList());
    assertEquals(List.of(1L, 2L, 3L), j.training().seeds());
    List<PlannedRun> runs = SweepPlan.plan(j);
    assertEquals(4 * 2 * 2 * 3, runs.size());
    assertEquals(runs.size(), new HashSet<>(runs.stream().map(PlannedRun::runId).toList()).size());
  }

  @Test
  void randomSearchIsDeterministicWithinBoundsAndSeeded() {
    String opts = "[{\"type\": \"adam\", \"samples\": 20, \"lr\": {\"logUniform\": [1e-4, 1e-1]},"
        + " \"eps\": {\"choice\": [1e-8, 1e-6]}, \"weight_decay\": {\"uniform\": [0, 0.01]}, \"amsgrad\": false}]";
    JobSpec a = parse(job(TRAINING, MODEL, opts));
    JobSpec b = parse(job(TRAINING, MODEL, opts));
    assertEquals(20, a.optimizers().size());
    assertEquals(a.optimizers().stream().map(r -> r.optimizer()).toList(),
        b.optimizers().stream().map(r -> r.optimizer()).toList());
    Set<Double> lrs = new HashSet<>();
    for (RunSpec r : a.optimizers()) {
      Adam.Config c = (Adam.Config) r.optimizer();
      assertTrue(c.lr() >= 1e-4 && c.lr() <= 1e-1, "lr " + c.lr());
      assertTrue(c.eps() == 1e-8 || c.eps() == 1e-6);
      assertTrue(c.weightDecay() >= 0 && c.weightDecay() <= 0.01);
      lrs.add(c.lr());
    }
    assertEquals(20, lrs.size());
    String reseeded = job(TRAINING, MODEL, opts).replace("\"name\": \"s\",", "\"name\": \"s\", \"sweep_seed\": 9,");
    assertNotEquals(a.optimizers().get(0).optimizer(), parse(reseeded).optimizers().get(0).optimizer());
    // Samples crossed with a grid axis.
    JobSpec mixed = parse(job(TRAINING, MODEL,
        "[{\"type\": \"sgd\", \"samples\": 3, \"lr\": {\"logUniform\": [1e-3, 1]}, \"momentum\": [0, 0.9]}]"));
    assertEquals(6, mixed.optimizers().size());
  }

  @Test
  void errorsNameTheGridPosition() {
    assertEquals("job.json: optimizers[0].lr[2]: expected a number > 0, got -1 (sgd)",
        error(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"lr\": [0.1, 0.2, -1]}]")));
    assertEquals("job.json: optimizers[0].betas[1][1]: expected a number in [0, 1), got 1.5 (adam)",
        error(job(TRAINING, MODEL, "[{\"type\": \"adam\", \"betas\": [[0.9, 0.99], [0.9, 1.5]]}]")));
    assertTrue(error(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"lr\": {\"logUniform\": [0.1, 1]}}]"))
        .startsWith("job.json: optimizers[0].lr: a distribution needs \"samples\""));
    assertEquals("job.json: optimizers[0].lr.logUniform: expected 0 < low <= high, got [0,1]",
        error(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"samples\": 2, \"lr\": {\"logUniform\": [0, 1]}}]")));
    assertTrue(error(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"samples\": 2, \"lr\": 0.1}]"))
        .startsWith("job.json: optimizers[0].samples: no distribution"));
    assertEquals("job.json: optimizers[0].lr: expected a number or a non-empty list (grid axis), got []",
        error(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"lr\": []}]")));
    assertEquals("job.json: training.batch_size[1]: expected an integer >= 1, got 0 (training)",
        error(job("{\"batch_size\": [8, 0], \"steps\": 10}", MODEL, "[{\"type\": \"sgd\"}]")));
    assertTrue(error(job("{\"batch_size\": 8, \"steps\": [10, 20]}", MODEL, "[{\"type\": \"sgd\"}]"))
        .startsWith("job.json: training.steps: expected an integer"));
    assertTrue(error(job("{\"batch_size\": 8, \"steps\": 10, \"seed\": 1, \"seeds\": [1]}", MODEL,
        "[{\"type\": \"sgd\"}]")).startsWith("job.json: training.seeds: expected seed or seeds"));
    assertTrue(error(job("{\"batch_size\": 8}", MODEL, "[{\"type\": \"sgd\"}]"))
        .startsWith("job.json: training.steps: expected an integer >= 1, or epochs"));
    JobSpec dup = parse(job(TRAINING, MODEL, "[{\"type\": \"sgd\", \"lr\": [0.1, 0.1]}]"));
    // Line 2 of the text: ` "model": ..., "optimizers": [{"type": "sgd", "lr": [0.1, 0.1]}]}`, lr[1] in column 118.
    assertEquals("job.json:2:118: optimizers[0] lr[1]: the same run as optimizers[0] lr[0] (identical configuration and seed)",
        assertThrows(JobFileException.class, () -> SweepPlan.plan(dup)).getMessage());
  }

  @Test
  void runIdsAreStableAndChangeOnlyWithTheConfiguration() {
    String text = job("{\"batch_size\": 8, \"steps\": 10, \"seeds\": [1, 2]}", MODEL,
        "[{\"type\": \"sgd\", \"lr\": [0.1, 0.01]}, {\"type\": \"adam\"}]");
    List<String> a = SweepPlan.plan(parse(text)).stream().map(PlannedRun::runId).toList();
    List<String> b = SweepPlan.plan(parse(text)).stream().map(PlannedRun::runId).toList();
    assertEquals(a, b);
    // Another lr for one grid point: only that point's runs (one per seed) get new ids.
    List<String> c = SweepPlan.plan(parse(text.replace("0.01", "0.02"))).stream().map(PlannedRun::runId).toList();
    Set<String> changed = new HashSet<>(c);
    changed.removeAll(a);
    assertEquals(2, changed.size());
    // How the sweep executes (parallelism, memory, checkpoints) is not part of a run's identity.
    List<String> d = SweepPlan.plan(parse(text.replace("\"steps\": 10,",
        "\"steps\": 10, \"parallelism\": 3, \"cohort_memory_mb\": 1, \"checkpoint_every\": 5,")))
        .stream().map(PlannedRun::runId).toList();
    assertEquals(a, d);
    assertNotEquals(a, SweepPlan.plan(parse(text.replace("\"steps\": 10,", "\"steps\": 10, \"target_loss\": 0.1,")))
        .stream().map(PlannedRun::runId).toList());
  }

  @Test
  void epochBudgetsResolveOnceTheEpochLengthIsKnown() {
    TrainingSpec t = parse(job("{\"batch_size\": 16, \"epochs\": 1.5}", MODEL, "[{\"type\": \"adam\"}]")).training();
    assertEquals(20, t.resolveSteps(13));
    assertEquals(1, t.resolveEvalEvery(20));
    assertEquals(5, t.resolveEvalEvery(100));
    assertTrue(error(job("{\"batch_size\": 16, \"epochs\": 1, \"steps\": 3}", MODEL, "[{\"type\": \"adam\"}]"))
        .contains("got both"));
  }

  @Test
  void idsOfJobsWithoutSweepFieldsFollowThePreSweepFormula() throws Exception {
    JobSpec q = JobLoader.load(Path.of(System.getProperty("adaspark.basedir", ".")).resolve("jobs/quickstart.json"));
    List<PlannedRun> runs = SweepPlan.plan(q);
    // Before sweeps: sha256 of {data, model, training: {batch_size, eval_every, partitions, seed, steps},
    // optimizer, seed} in canonical JSON.
    var m = Canonical.mapper();
    var n = m.createObjectNode();
    n.set("data", m.valueToTree(q.data()));
    n.set("model", m.valueToTree(q.model()));
    var t = n.putObject("training");
    t.put("batch_size", 32);
    t.put("eval_every", 25);
    t.put("partitions", 4);
    t.put("seed", 42);
    t.put("steps", 300);
    n.set("optimizer", Canonical.runConfig(q.optimizers().get(0)));
    n.put("seed", 42);
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
        .digest(m.writeValueAsString(Canonical.sorted(n)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(java.util.HexFormat.of().formatHex(digest, 0, 8), runs.get(0).runId());
    assertArrayEquals(new long[] {42}, q.training().seeds().stream().mapToLong(Long::longValue).toArray());
  }
}
