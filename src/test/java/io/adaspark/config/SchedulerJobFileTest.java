package io.adaspark.config;

import io.adaspark.check.JobFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.adaspark.train.RungMetric;
import org.junit.jupiter.api.Test;

/** The job file's {@code scheduler}: binding, defaults, and one clear line per mistake. */
class SchedulerJobFileTest {
  static String job(String training, String scheduler, double testFraction) {
    return """
        {"name": "s", "data": {"type": "libsvm", "path": "x.libsvm", "num_features": 3, "test_fraction": %s},
         "model": {"type": "logreg"},
         "training": %s,
         "optimizers": [{"type": "sgd", "lr": [0.1, 0.2, 0.3]}]%s}
        """.formatted(testFraction, training, scheduler == null ? "" : ",\n \"scheduler\": " + scheduler);
  }

  static final String T = "{\"batch_size\": 4, \"steps\": 90, \"eval_every\": 10}";

  /** The error's message with its {@code s.json:L:C:} location (which must be there) shortened to {@code s.json:}. */
  static String error(String text) {
    String msg = assertThrows(JobFileException.class, () -> JobLoader.parse(text, "s.json")).getMessage();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("s\\.json:[1-9][0-9]*:[1-9][0-9]*: (.*)",
        java.util.regex.Pattern.DOTALL).matcher(msg);
    org.junit.jupiter.api.Assertions.assertTrue(m.matches(), "no line:column in: " + msg);
    return "s.json: " + m.group(1);
  }

  @Test
  void bindsWithDefaults() {
    assertNull(JobLoader.parse(job(T, null, 0.2), "s.json").scheduler());
    SchedulerSpec s = JobLoader.parse(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 10}", 0.2), "s.json")
        .scheduler();
    assertEquals(new SchedulerSpec.SuccessiveHalving(3, 10, RungMetric.TRAIN_LOSS), s);
    SchedulerSpec h = JobLoader.parse(job(T, "{\"type\": \"hyperband\", \"eta\": 3, \"min_steps\": 10,"
        + " \"metric\": \"test_accuracy\"}", 0.2), "s.json").scheduler();
    assertEquals(new SchedulerSpec.Hyperband(3, 10, RungMetric.TEST_ACCURACY), h);
    assertEquals(java.util.List.of(10L, 30L), h.rungSteps(90));
    SchedulerSpec v = JobLoader.parse(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 10,"
        + " \"metric\": \"validation_accuracy\"}", 0.2).replace("\"test_fraction\": 0.2", "\"test_fraction\": 0.2,"
        + " \"validation_fraction\": 0.2"), "s.json").scheduler();
    assertEquals(new SchedulerSpec.SuccessiveHalving(3, 10, RungMetric.VALIDATION_ACCURACY), v);
  }

  @Test
  void wsdWithoutTotalStepsDecaysAtTheEndOfTheRun() {
    String wsd = "[{\"type\": \"sgd\", \"lr\": 0.1, \"schedule\": {\"type\": \"wsd\", \"decay_fraction\": 0.2}}]";
    JobSpec j = JobLoader.parse(job(T, null, 0.2).replace("[{\"type\": \"sgd\", \"lr\": [0.1, 0.2, 0.3]}]", wsd),
        "s.json");
    io.adaspark.optim.schedule.WsdLr s = (io.adaspark.optim.schedule.WsdLr) j.optimizers().get(0).schedule();
    assertEquals(90, s.totalSteps()); // training.steps
    // D = round(90·0.2) = 18 decay steps from S = 72: the stable lr up to step 71, base/18 at the last step (89)
    assertEquals(0.1, s.lr(0.1, 71));
    assertEquals(0.1 * (1 - 1.0 / 18), s.lr(0.1, 72), 1e-17);
    assertEquals(0.0, s.lr(0.1, 89));
    // An explicit total_steps is kept; with the budget in epochs it stays required.
    assertEquals(50, ((io.adaspark.optim.schedule.WsdLr) JobLoader.parse(job(T, null, 0.2).replace(
        "[{\"type\": \"sgd\", \"lr\": [0.1, 0.2, 0.3]}]", wsd.replace("\"decay_fraction\"", "\"total_steps\": 50, "
            + "\"decay_fraction\"")), "s.json").optimizers().get(0).schedule()).totalSteps());
    assertEquals("s.json: optimizers[0].schedule.total_steps: expected given (an integer >= 1, the run's steps; a job "
            + "file with training.steps supplies it), got nothing (wsd)",
        error(job("{\"batch_size\": 4, \"epochs\": 2}", null, 0.2)
            .replace("[{\"type\": \"sgd\", \"lr\": [0.1, 0.2, 0.3]}]", wsd)));
  }

  @Test
  void mistakesNameTheJsonPath() {
    assertEquals("s.json: scheduler.type: unknown type \"asha\" (known: hyperband, successive_halving)",
        error(job(T, "{\"type\": \"asha\", \"min_steps\": 10}", 0.2)));
    assertEquals("s.json: scheduler.min_steps: expected given (an integer >= 1), got nothing (successive_halving)",
        error(job(T, "{\"type\": \"successive_halving\"}", 0.2)));
    assertEquals("s.json: scheduler.eta: expected an integer >= 2, got 1 (hyperband)",
        error(job(T, "{\"type\": \"hyperband\", \"eta\": 1, \"min_steps\": 10}", 0.2)));
    assertEquals("s.json: scheduler.metric: validation_loss needs a validation split (data.validation_fraction > 0)",
        error(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 10, \"metric\": \"validation_loss\"}", 0.2)));
    assertEquals("s.json: scheduler.metric: expected one of train_loss, test_loss, test_accuracy, validation_loss or "
            + "validation_accuracy, got \"val_loss\" (successive_halving)",
        error(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 10, \"metric\": \"val_loss\"}", 0.2)));
    assertEquals("s.json: scheduler.metric: test_loss needs test rows (data.test_fraction > 0)",
        error(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 10, \"metric\": \"test_loss\"}", 0)));
    assertEquals("s.json: scheduler.min_steps: rung step 15 is not an evaluation step (training.eval_every = 10): "
            + "rungs at [15, 45] need an eval_every that divides each (successive_halving)",
        error(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 15}", 0.2)));
    assertEquals("s.json: scheduler.min_steps: expected an integer < training.steps = 90, got 90 (successive_halving)",
        error(job(T, "{\"type\": \"successive_halving\", \"min_steps\": 90}", 0.2)));
    assertEquals("s.json: scheduler: needs the budget in training.steps (rungs are steps), not training.epochs",
        error(job("{\"batch_size\": 4, \"epochs\": 2}", "{\"type\": \"successive_halving\", \"min_steps\": 10}", 0.2)));
    assertEquals("s.json: scheduler: cannot be combined with training.wall_seconds (rung decisions must depend only "
            + "on metrics)",
        error(job("{\"batch_size\": 4, \"steps\": 90, \"eval_every\": 10, \"wall_seconds\": 5}",
            "{\"type\": \"successive_halving\", \"min_steps\": 10}", 0.2)));
    // eta^s_max = 3 configurations at most with rungs 30 (s_max = 1): the sweep has 3, fine; 4 is too many
    JobLoader.parse(job(T, "{\"type\": \"hyperband\", \"min_steps\": 30}", 0.2), "s.json");
    assertEquals("s.json: scheduler: hyperband with eta 3 and min_steps 30 ranks at most 3 configurations (its largest "
            + "bracket), the sweep has 6 (fewer configurations, a smaller min_steps, or successive_halving)",
        error(job(T, "{\"type\": \"hyperband\", \"min_steps\": 30}", 0.2)
            .replace("[0.1, 0.2, 0.3]", "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]")));
  }
}
