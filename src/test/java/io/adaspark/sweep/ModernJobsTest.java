package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.config.JobSpec;
import io.adaspark.optim.Adafactor;
import io.adaspark.optim.Adan;
import io.adaspark.optim.Prodigy;
import io.adaspark.optim.ScheduleFreeAdamW;
import io.adaspark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modern optimizers from job files: grids over every numeric field, random search, a real
 * fused sweep on an MLP (per-block LAMB/LARS/Adafactor, Schedule-Free's two points) stopped and
 * resumed from its checkpoint bit-identically, and the runs table's {@code eval_point}.
 */
class ModernJobsTest {
  static final String ALL = "[{\"type\": \"lion\", \"lr\": 0.01},"
      + " {\"type\": \"lamb\", \"lr\": 0.02, \"weight_decay\": 0.01},"
      + " {\"type\": \"lars\", \"lr\": 2, \"weight_decay\": 0.001},"
      + " {\"type\": \"adafactor\", \"lr\": 0.05, \"weight_decay\": 0.01},"
      + " {\"type\": \"schedulefree_sgd\", \"lr\": 0.2, \"warmup_steps\": 4},"
      + " {\"type\": \"schedulefree_adamw\", \"lr\": 0.02, \"warmup_steps\": 4, \"weight_decay\": 0.01},"
      + " {\"type\": \"prodigy\", \"schedule\": {\"type\": \"cosine\", \"T_max\": 30}},"
      + " {\"type\": \"prodigy\", \"weight_decay\": 0.01, \"decouple\": false, \"d0\": 1e-5},"
      + " {\"type\": \"adan\", \"lr\": 0.02, \"weight_decay\": 0.02}]";

  static String job(Path out, String training, String optimizers) {
    return """
        {"name": "mj",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "mlp", "hidden": [4], "activation": "tanh", "l2": 0.001},
         "training": %s,
         "optimizers": %s,
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), training, optimizers, out);
  }

  static JobSpec parse(String optimizers) {
    return JobLoader.parse(job(Path.of("out"), "{\"batch_size\": 8, \"steps\": 10}", optimizers), "job.json");
  }

  @Test
  void everyNumericFieldIsAGridAxis() {
    Map<String, Integer> sizes = new TreeMap<>();
    String[] entries = {
        "{\"type\": \"lion\", \"lr\": [0.1, 0.2], \"betas\": [[0.9, 0.99], [0.95, 0.98]], \"weight_decay\": [0, 0.1]}",
        "{\"type\": \"lamb\", \"lr\": [0.1, 0.2], \"betas\": [[0.9, 0.999], [0.8, 0.99]], \"eps\": [1e-6, 1e-3],"
            + " \"eps_root\": [0, 1e-4], \"weight_decay\": [0, 0.01]}",
        "{\"type\": \"lars\", \"lr\": [1, 2], \"weight_decay\": [0, 0.01], \"trust_coefficient\": [1e-3, 0.02],"
            + " \"eps\": [0, 1e-3], \"momentum\": [0.5, 0.9]}",
        "{\"type\": \"adafactor\", \"lr\": [0.01, 0.5], \"beta2_decay\": [-0.8, -0.5],"
            + " \"eps\": [[1e-30, 1e-3], [1e-3, 0.5]], \"d\": [1, 2], \"weight_decay\": [0, 0.01]}",
        "{\"type\": \"schedulefree_sgd\", \"lr\": [0.5, 1], \"momentum\": [0.5, 0.9], \"weight_decay\": [0, 0.01],"
            + " \"warmup_steps\": [0, 5], \"r\": [0, 1], \"weight_lr_power\": [1, 2]}",
        "{\"type\": \"schedulefree_adamw\", \"lr\": [0.0025, 0.01], \"betas\": [[0.9, 0.999], [0.95, 0.99]],"
            + " \"eps\": [1e-8, 1e-6], \"weight_decay\": [0, 0.01], \"warmup_steps\": [0, 5], \"r\": [0, 1],"
            + " \"weight_lr_power\": [1, 2]}",
        "{\"type\": \"prodigy\", \"lr\": [0.5, 1], \"betas\": [[0.9, 0.999], [0.95, 0.99]], \"beta3\": [0.9, 0.99],"
            + " \"eps\": [1e-8, 1e-6], \"weight_decay\": [0, 0.01], \"d0\": [1e-6, 1e-4], \"d_coef\": [0.5, 1],"
            + " \"growth_rate\": [1.5, 2]}",
        "{\"type\": \"adan\", \"lr\": [1e-3, 0.02], \"betas\": [[0.98, 0.92, 0.99], [0.9, 0.9, 0.999]],"
            + " \"eps\": [1e-8, 1e-6], \"weight_decay\": [0, 0.02]}"};
    int[] axes = {3, 5, 5, 5, 6, 7, 8, 4};
    for (int i = 0; i < entries.length; i++) {
      JobSpec j = parse("[" + entries[i] + "]");
      assertEquals(1 << axes[i], j.optimizers().size(), entries[i]);
      assertEquals(j.optimizers().size(), new HashSet<>(j.optimizers().stream().map(r -> r.optimizer()).toList()).size(),
          "all configurations differ: " + entries[i]);
      sizes.put(j.optimizers().get(0).optimizer().typeName(), j.optimizers().size());
    }
    assertEquals(8, sizes.size());
    JobSpec j = parse("[" + entries[7] + "]");
    Adan.Config last = (Adan.Config) j.optimizers().get(15).optimizer();
    assertEquals(new Adan.Betas3(0.9, 0.9, 0.999), last.betas());
    assertEquals(0.02, last.lr());
    Adafactor.Config af = (Adafactor.Config) parse("[" + entries[3] + "]").optimizers().get(31).optimizer();
    assertEquals(new Adafactor.Eps(1e-3, 0.5), af.eps());
    Prodigy.Config p = (Prodigy.Config) parse("[" + entries[6] + "]").optimizers().get(255).optimizer();
    assertEquals(2.0, p.growthRate());
    assertEquals(0.99, p.beta3());
  }

  @Test
  void randomSearchAndDefaults() {
    JobSpec j = parse("[{\"type\": \"schedulefree_adamw\", \"samples\": 6, \"lr\": {\"logUniform\": [1e-3, 1e-1]},"
        + " \"warmup_steps\": {\"intUniform\": [0, 20]}, \"betas\": {\"choice\": [[0.9, 0.999], [0.95, 0.99]]}},"
        + " {\"type\": \"prodigy\"}]");
    assertEquals(7, j.optimizers().size());
    for (int i = 0; i < 6; i++) {
      ScheduleFreeAdamW.Config c = (ScheduleFreeAdamW.Config) j.optimizers().get(i).optimizer();
      assertTrue(c.lr() >= 1e-3 && c.lr() <= 1e-1 && c.warmupSteps() >= 0 && c.warmupSteps() <= 20, c.toString());
    }
    Prodigy.Config p = (Prodigy.Config) j.optimizers().get(6).optimizer();
    assertEquals(Math.sqrt(0.999), p.beta3());
    assertEquals(null, p.growthRate(), "unbounded");
    assertEquals(1e-6, p.d0());
  }

  @Test
  void badValuesNameTheJsonPath() {
    String m = assertThrows(io.adaspark.check.JobFileException.class,
        () -> parse("[{\"type\": \"lion\"}]")).getMessage();
    assertTrue(m.contains("optimizers[0].lr") && m.contains("optax.lion has no default"), m);
    m = assertThrows(io.adaspark.check.JobFileException.class,
        () -> parse("[{\"type\": \"adan\", \"betas\": [0.9, 0.9]}]")).getMessage();
    assertTrue(m.contains("optimizers[0].betas") && m.contains("a triple [b1, b2, b3]"), m);
    m = assertThrows(io.adaspark.check.JobFileException.class,
        () -> parse("[{\"type\": \"schedulefree_sgd\", \"momentum\": 0}]")).getMessage();
    assertTrue(m.contains("optimizers[0].momentum") && m.contains("(0, 1)"), m);
  }

  @Test
  void aStoppedModernCohortResumesBitIdenticallyAndRecordsTheEvaluationPoint(@TempDir Path tmp) throws IOException {
    String training = "{\"batch_size\": 16, \"steps\": 20, \"eval_every\": 10, \"seed\": 3, \"partitions\": 3,"
        + " \"checkpoint_every\": 5}";
    var spark = TestSpark.session();
    Path full = tmp.resolve("full");
    JobRunner.run(spark, JobLoader.parse(job(full, training, ALL), "job.json"),
        new PrintStream(new ByteArrayOutputStream()), JobRunner.Options.DEFAULT);
    Path cut = tmp.resolve("cut");
    String text = job(cut, training, ALL);
    assertThrows(Trainer.Stopped.class, () -> JobRunner.run(spark, JobLoader.parse(text, "job.json"),
        new PrintStream(new ByteArrayOutputStream()), new JobRunner.Options(false, 12)));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    JobRunner.run(spark, JobLoader.parse(text, "job.json"), new PrintStream(log, true), JobRunner.Options.resuming());
    assertTrue(log.toString().contains("resuming the cohort from its checkpoint at step 10"), log.toString());
    SweepRunTest.spark = spark;
    List<List<Row>> a = SweepRunTest.tables(full.resolve("mj"));
    assertEquals(a, SweepRunTest.tables(cut.resolve("mj")));
    assertFalse(Files.exists(cut.resolve(".mj.work")));
    List<Row> runs = a.get(1);
    assertEquals(9, runs.size());
    for (Row r : runs) {
      String type = r.getString(r.fieldIndex("optimizer"));
      assertEquals("finished", r.getString(r.fieldIndex("status")), type);
      assertEquals(type.startsWith("schedulefree") ? "x" : "theta", r.getString(r.fieldIndex("eval_point")), type);
      assertTrue(r.getDouble(r.fieldIndex("final_train_loss")) < 0.69, type + " learns: " + r);
    }
  }
}
