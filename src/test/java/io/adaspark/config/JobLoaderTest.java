package io.adaspark.config;

import io.adaspark.check.JobFileException;

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

  /**
   * The message of the error {@code text} raises, after checking that it gives the line and
   * column ({@code job.json:L:C: }), with them taken out: the tests of the path and the wording.
   */
  static String error(String text) {
    return withoutLocation(located(text));
  }

  /** The full message of the error {@code text} raises. */
  static String located(String text) {
    return assertThrows(JobFileException.class, () -> JobLoader.parse(text, "job.json")).getMessage();
  }

  static String withoutLocation(String msg) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("job\\.json:[1-9][0-9]*:[1-9][0-9]*: (.*)",
        java.util.regex.Pattern.DOTALL).matcher(msg);
    assertTrue(m.matches(), "no line:column in: " + msg);
    return "job.json: " + m.group(1);
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
    String msg = located("{\"name\": \"t\",\n  \"data\": }");
    assertTrue(msg.startsWith("job.json:2:11: invalid JSON"), msg);
  }

  @Test
  void unknownFieldNamesThePathAndTheKnownFields() {
    assertEquals("job.json: optimizers[0].lrr: unknown field (known: dampening, lr, momentum, nesterov, weight_decay)",
        error(replace("{\"type\": \"sgd\", \"lr\": 0.1}", "{\"type\": \"sgd\", \"lr\": 0.1, \"lrr\": 1}")));
    assertEquals("job.json: colour: unknown field (known: data, model, name, optimizers, optimum, output, report, scheduler, sweep_seed, training)",
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
    assertEquals("job.json: optimizers[0].type: unknown type \"io.adaspark.optim.Sgd\" (known: adadelta, adafactor, "
            + "adagrad, adam, adamax, adamw, adan, lamb, lars, lion, nadam, prodigy, radam, rmsprop, schedulefree_adamw, "
            + "schedulefree_sgd, sgd)",
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

  /** A job file laid out one part per line; the columns below are counted by hand in this text. */
  static final String LINES = """
      {
        "name": "t",
        "data": {"type": "libsvm", "path": "data/x.libsvm"},
        "model": {"type": "logreg"},
        "training": {"batch_size": 8, "steps": 10},
        "optimizers": [
          {"type": "sgd", "lr": 0.1}
        ]
      }
      """;

  static String lines(String from, String to) {
    assertTrue(LINES.contains(from), from);
    return LINES.replace(from, to);
  }

  @Test
  void semanticErrorsNameTheLineAndColumnOfTheValue() {
    JobLoader.parse(LINES, "job.json"); // the layout itself is valid
    // Line 7 is `    {"type": "sgd", "lr": -0.001}`: the value starts in column 27.
    assertEquals("job.json:7:27: optimizers[0].lr: expected a number > 0, got -0.001 (sgd)",
        located(lines("\"lr\": 0.1", "\"lr\": -0.001")));
    // A grid point: the list element, `[0.1, -1]` opening in column 27, -1 in column 33.
    assertEquals("job.json:7:33: optimizers[0].lr[1]: expected a number > 0, got -1 (sgd)",
        located(lines("\"lr\": 0.1", "\"lr\": [0.1, -1]")));
    // A wrong type: `  "training": {"batch_size": 8, "steps": 1.5}`, 1.5 in column 42.
    assertEquals("job.json:5:42: training.steps: expected an integer, got 1.5",
        located(lines("\"steps\": 10", "\"steps\": 1.5")));
    // An array element: `"betas": [0.9, 1.5]` after `"lr": 0.1, ` (the 1.5 in column 48).
    assertEquals("job.json:7:48: optimizers[0].betas[1]: expected a number in [0, 1), got 1.5 (adam)",
        located(lines("{\"type\": \"sgd\", \"lr\": 0.1}", "{\"type\": \"adam\", \"lr\": 0.1, \"betas\": [0.9, 1.5]}")));
  }

  @Test
  void aMissingValueIsLocatedAtItsParentObject() {
    // `  "training": {"batch_size": 8}`: the object opens in column 15 of line 5.
    assertTrue(located(lines(", \"steps\": 10", "")).startsWith("job.json:5:15: training.steps: expected an integer >= 1, or epochs"),
        located(lines(", \"steps\": 10", "")));
    // No training at all: the top-level object, line 1 column 1.
    assertEquals("job.json:1:1: training: missing (required)",
        located(lines("  \"training\": {\"batch_size\": 8, \"steps\": 10},\n", "")));
    // No type: the optimizer object, column 5 of line 7.
    assertTrue(located(lines("\"type\": \"sgd\", ", "")).startsWith("job.json:7:5: optimizers[0]: missing \"type\""));
  }

  @Test
  void anUnknownFieldIsLocatedAtItsValue() {
    // `    {"type": "sgd", "lr": 0.1, "lrr": 1}`: its value 1 in column 39.
    assertEquals("job.json:7:39: optimizers[0].lrr: unknown field (known: dampening, lr, momentum, nesterov, weight_decay)",
        located(lines("\"lr\": 0.1", "\"lr\": 0.1, \"lrr\": 1")));
    // `  "colour": 1,` inserted as line 3.
    assertTrue(located(lines("  \"data\"", "  \"colour\": 1,\n  \"data\"")).startsWith("job.json:3:13: colour: unknown field"));
  }

  @Test
  void aClassNameMemberIsReportedAsTheUnknownFieldItIs() {
    // `    {"@class": "io.adaspark.optim.Sgd", "lr": 0.1}`: the object opens in column 5.
    assertEquals("job.json:7:5: optimizers[0]: unknown field \"@class\" (types are chosen by \"type\" only, one of: "
            + "adadelta, adafactor, adagrad, adam, adamax, adamw, adan, lamb, lars, lion, nadam, prodigy, radam, "
            + "rmsprop, schedulefree_adamw, schedulefree_sgd, sgd)",
        located(lines("\"type\": \"sgd\"", "\"@class\": \"io.adaspark.optim.Sgd\"")));
    // The same in the model (`  "model": {"@class": ...}`, column 12) and in a schedule (column 44).
    assertEquals("job.json:4:12: model: unknown field \"@class\" (types are chosen by \"type\" only, one of: logreg, mlp)",
        located(lines("{\"type\": \"logreg\"}", "{\"@class\": \"io.adaspark.model.LogRegConfig\"}")));
    assertTrue(located(lines("\"lr\": 0.1}", "\"lr\": 0.1, \"schedule\": {\"@class\": \"x.Y\", \"T_max\": 3}}"))
        .startsWith("job.json:7:44: optimizers[0].schedule: unknown field \"@class\" (types are chosen by \"type\" only"));
    // Beside a type, "@class" is one more unknown field.
    assertTrue(located(lines("\"type\": \"sgd\"", "\"type\": \"sgd\", \"@class\": \"io.adaspark.optim.Sgd\""))
        .startsWith("job.json:7:31: optimizers[0].@class: unknown field (known: "));
  }
}
