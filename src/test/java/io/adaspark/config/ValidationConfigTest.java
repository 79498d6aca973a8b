package io.adaspark.config;

import io.adaspark.check.JobFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code data.validation_fraction} and {@code report.select_by} in job files. */
class ValidationConfigTest {
  static final String JOB = """
      {"name": "t", "data": {"type": "libsvm", "path": "data/x.libsvm", "test_fraction": 0.2%s},
       "model": {"type": "logreg", "l2": 0.01},
       "training": {"batch_size": 8, "steps": 10},
       "optimizers": [{"type": "sgd", "lr": 0.1}]%s}
      """;

  /** The error's message with its {@code job.json:L:C:} location (which must be there) shortened to {@code job.json:}. */
  static String error(String text) {
    return JobLoaderTest.withoutLocation(
        assertThrows(JobFileException.class, () -> JobLoader.parse(text, "job.json")).getMessage());
  }

  @Test
  void validationFractionDefaultsToZeroAndLeavesRunIdsUnchanged() {
    JobSpec plain = JobLoader.parse(JOB.formatted("", ""), "job.json");
    JobSpec zero = JobLoader.parse(JOB.formatted(", \"validation_fraction\": 0", ""), "job.json");
    JobSpec some = JobLoader.parse(JOB.formatted(", \"validation_fraction\": 0.25", ""), "job.json");
    assertEquals(0.0, plain.data().validationFraction());
    assertEquals(0.25, some.data().validationFraction());
    // Not written when 0: the data's JSON (part of every run id) is what it was before the field.
    assertFalse(Canonical.toJson(Canonical.mapper().valueToTree(plain.data())).contains("validation"));
    String id = Canonical.runId(plain, plain.optimizers().get(0), 0);
    assertEquals(id, Canonical.runId(zero, zero.optimizers().get(0), 0));
    assertTrue(!id.equals(Canonical.runId(some, some.optimizers().get(0), 0)), "a validation split is another run");
  }

  @Test
  void badValuesNameThePathAndTheRange() {
    assertEquals("job.json: data.validation_fraction: expected a number in [0, 1 - test_fraction) = [0, 0.8), "
        + "got 0.8 (data)", error(JOB.formatted(", \"validation_fraction\": 0.8", "")));
    assertEquals("job.json: data.validation_fraction: expected a number in [0, 1 - test_fraction) = [0, 0.8), "
        + "got -0.1 (data)", error(JOB.formatted(", \"validation_fraction\": -0.1", "")));
    assertEquals("job.json: report.select_by: expected one of \"train_loss\", \"validation_loss\", "
        + "\"validation_accuracy\", got \"test_loss\" (report)",
        error(JOB.formatted("", ", \"report\": {\"select_by\": \"test_loss\"}")));
    assertEquals("job.json: report.select_by: \"validation_loss\" needs a validation split "
        + "(data.validation_fraction > 0)", error(JOB.formatted("", ", \"report\": {\"select_by\": \"validation_loss\"}")));
    assertTrue(error(JOB.formatted("", ", \"report\": {\"selectby\": \"train_loss\"}"))
        .startsWith("job.json: report.selectby: unknown field"));
    JobLoader.parse(JOB.formatted(", \"validation_fraction\": 0.2", ", \"report\": {\"select_by\": \"validation_accuracy\"}"),
        "job.json");
  }
}
