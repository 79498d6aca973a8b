package io.adaspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.model.LogRegConfig;
import org.junit.jupiter.api.Test;

class JobLoaderTest {
  static final String GOOD = """
      {"name": "t", "data": {"type": "libsvm", "path": "data/x.libsvm"},
       "model": {"type": "logreg", "l2": 0.01},
       "training": {"batch_size": 8, "steps": 10},
       "optimizers": [{"type": "sgd", "lr": 0.1}, {"type": "adam", "lr": 0.01,
                       "schedule": {"type": "cosine", "T_max": 10}, "clip": {"max_norm": 1.0}}]}
      """;

  static String error(String text) {
    return assertThrows(JobFileException.class, () -> JobLoader.parse(text, "job.json")).getMessage();
  }

  static String replace(String from, String to) {
    assertTrue(GOOD.contains(from), from);
    return GOOD.replace(from, to);
  }

  @Test
  void readsAGoodFileWithDefaults() {
    JobSpec job = JobLoader.parse(GOOD, "job.json");
    assertEquals("t", job.name());
    assertEquals(0.2, job.data().testFraction());
    assertTrue(job.data().standardize());
    assertEquals(new LogRegConfig(0.01, false), job.model());
    assertEquals(8, job.training().batchSize());
    assertEquals(4, job.training().partitions());
    assertEquals("out", job.output());
    assertEquals(2, job.optimizers().size());
    assertEquals("adam", job.optimizers().get(1).optimizer().typeName());
    assertEquals(0.01, job.optimizers().get(1).lr(0), 0);
    assertEquals(0.005, job.optimizers().get(1).lr(5), 1e-15);
    assertEquals(0.0, job.optimizers().get(1).lr(10), 1e-15);
    assertEquals(0.1, job.optimizers().get(0).lr(7));
  }

  @Test
  void syntaxErrorNamesLineAndColumn() {
    String msg = error("{\"name\": \"t\",\n  \"data\": }");
    assertTrue(msg.startsWith("job.json: line 2, column 11: invalid JSON"), msg);
  }

  @Test
  void unknownFieldNamesThePathAndTheKnownFields() {
    assertEquals("job.json: optimizers[0].lrr: unknown field (known: dampening, lr, momentum, nesterov, weight_decay)",
        error(replace("{\"type\": \"sgd\", \"lr\": 0.1}", "{\"type\": \"sgd\", \"lr\": 0.1, \"lrr\": 1}")));
    assertEquals("job.json: colour: unknown field (known: data, model, name, optimizers, optimum, output, scheduler, sweep_seed, training)",
        error(replace("{\"name\": \"t\",", "{\"name\": \"t\", \"colour\": 1,")));
    assertTrue(error(replace("\"batch_size\": 8", "\"batch_size\": 8, \"epochz\": 1"))
        .startsWith("job.json: training.epochz: unknown field"));
  }

  @Test
  void wrongTypeNamesThePathAndTheValue() {
    assertEquals("job.json: optimizers[1].lr: expected a number, got \"abc\"",
        error(replace("\"lr\": 0.01", "\"lr\": \"abc\"")));
    assertEquals("job.json: training.steps: expected an integer, got 1.5",
        error(replace("\"steps\": 10", "\"steps\": 1.5")));
    assertEquals("job.json: data.standardize: expected true or false, got \"yes\"",
        error(replace("\"path\": \"data/x.libsvm\"", "\"path\": \"data/x.libsvm\", \"standardize\": \"yes\"")));
  }

  @Test
  void outOfRangeValuesNameThePathAndTheRange() {
    assertEquals("job.json: optimizers[0].lr: expected a number > 0, got -0.1 (sgd)",
        error(replace("\"lr\": 0.1", "\"lr\": -0.1")));
    assertEquals("job.json: optimizers[1].betas[1]: expected a number in [0, 1), got 1.5 (adam)",
        error(replace("\"lr\": 0.01,", "\"lr\": 0.01, \"betas\": [0.9, 1.5],")));
    assertEquals("job.json: training.batch_size: expected an integer >= 1, got 0 (training)",
        error(replace("\"batch_size\": 8", "\"batch_size\": 0")));
    assertEquals("job.json: data.test_fraction: expected a number in [0, 1), got 1 (data)",
        error(replace("\"path\": \"data/x.libsvm\"", "\"path\": \"data/x.libsvm\", \"test_fraction\": 1")));
  }

  @Test
  void typesAreRegisteredNamesNeverClassNames() {
    assertEquals("job.json: optimizers[0].type: unknown type \"io.adaspark.optim.Sgd\" (known: adadelta, adagrad, "
            + "adam, adamax, adamw, nadam, radam, rmsprop, sgd)",
        error(replace("\"type\": \"sgd\"", "\"type\": \"io.adaspark.optim.Sgd\"")));
    assertTrue(error(replace("{\"type\": \"logreg\", \"l2\": 0.01}", "{\"l2\": 0.01}"))
        .startsWith("job.json: model: missing \"type\""));
  }

  @Test
  void missingRequiredPartsAreNamed() {
    assertEquals("job.json: training: missing (required)",
        error(GOOD.replace("\"training\": {\"batch_size\": 8, \"steps\": 10},", "")));
    assertEquals("job.json: optimizers: expected a non-empty array of optimizers, got []",
        error(GOOD.substring(0, GOOD.indexOf("\"optimizers\"")) + "\"optimizers\": []}"));
  }

  @Test
  void optimumOnlyForConvexModels() {
    assertEquals(OptimumSpec.DEFAULT, JobLoader.parse(replace("\"training\"", "\"optimum\": true, \"training\""), "job.json").optimum());
    assertEquals(null, JobLoader.parse(GOOD, "job.json").optimum());
    assertEquals("job.json: optimum: f* is computed for convex models only (logreg), not this model",
        error(replace("{\"type\": \"logreg\", \"l2\": 0.01}", "{\"type\": \"mlp\", \"hidden\": [4], \"activation\": \"tanh\"}")
            .replace("\"training\"", "\"optimum\": true, \"training\"")));
    assertEquals("job.json: optimum.max_iter: expected an integer >= 1, got 0 (optimum)",
        error(replace("\"training\"", "\"optimum\": {\"max_iter\": 0}, \"training\"")));
  }

  @Test
  void duplicateKeysAreRejected() {
    assertTrue(error(replace("\"steps\": 10", "\"steps\": 10, \"steps\": 11")).contains("Duplicate field 'steps'"));
  }
}
