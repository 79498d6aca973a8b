package io.adaspark.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.adaspark.check.InvalidValueException;
import io.adaspark.optim.StrictJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedules against their closed forms, JSON round trips and validation messages. */
class LrScheduleTest {
  private static final double BASE = 0.1;

  private static LrSchedule parse(String json) throws Exception {
    return StrictJson.MAPPER.readValue(json, LrSchedule.class);
  }

  private static String messageOf(String json) {
    Exception e = assertThrows(Exception.class, () -> parse(json));
    Throwable root = StrictJson.rootCause(e);
    assertInstanceOf(InvalidValueException.class, root, json);
    return root.getMessage();
  }

  @Test
  void closedForms() throws Exception {
    LrSchedule step = parse("{\"type\":\"step\",\"step_size\":3,\"gamma\":0.5}");
    double[] expectedStep = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
    for (int k = 0; k < expectedStep.length; k++) assertEquals(expectedStep[k], step.lr(BASE, k), 1e-16);

    LrSchedule exp = parse("{\"type\":\"exponential\",\"gamma\":0.5}");
    assertEquals(0.1, exp.lr(BASE, 0), 0);
    assertEquals(0.0125, exp.lr(BASE, 3), 1e-16);

    LrSchedule cos = parse("{\"type\":\"cosine\",\"T_max\":4,\"eta_min\":0.02}");
    assertEquals(0.1, cos.lr(BASE, 0), 1e-16);
    assertEquals(0.02 + 0.08 * (1 + Math.sqrt(0.5)) / 2, cos.lr(BASE, 1), 1e-16);
    assertEquals(0.06, cos.lr(BASE, 2), 1e-16);
    assertEquals(0.02, cos.lr(BASE, 4), 1e-16);
    assertEquals(0.06, cos.lr(BASE, 6), 1e-16); // rises again after T_max, as torch

    LrSchedule lin = parse("{\"type\":\"linear\",\"start_factor\":0.25,\"total_iters\":3}");
    assertEquals(0.025, lin.lr(BASE, 0), 1e-16);
    assertEquals(0.05, lin.lr(BASE, 1), 1e-16);
    assertEquals(0.1, lin.lr(BASE, 3), 1e-16);
    assertEquals(0.1, lin.lr(BASE, 10), 1e-16);
    LrSchedule linDefault = parse("{\"type\":\"linear\"}");
    assertEquals(BASE / 3, linDefault.lr(BASE, 0), 1e-16);
    assertEquals(BASE, linDefault.lr(BASE, 5), 1e-16);

    assertEquals(BASE, parse("{\"type\":\"constant\"}").lr(BASE, 1000), 0);
  }

  @Test
  void warmupThenShiftedAfterSchedule() throws Exception {
    LrSchedule w = parse("{\"type\":\"warmup\",\"warmup_steps\":4,\"after\":{\"type\":\"exponential\",\"gamma\":0.5}}");
    assertEquals(0.0, w.lr(BASE, 0), 0);
    assertEquals(0.025, w.lr(BASE, 1), 1e-16);
    assertEquals(0.075, w.lr(BASE, 3), 1e-16);
    assertEquals(0.1, w.lr(BASE, 4), 1e-16);   // after's k = 0
    assertEquals(0.05, w.lr(BASE, 5), 1e-16);  // after's k = 1
    LrSchedule w2 = parse("{\"type\":\"warmup\",\"warmup_steps\":2,\"start_factor\":0.5}");
    double[] expected = {0.05, 0.075, 0.1, 0.1};
    for (int k = 0; k < expected.length; k++) assertEquals(expected[k], w2.lr(BASE, k), 1e-16);
  }

  @Test
  void roundTrip() throws Exception {
    for (String json : List.of("{\"type\":\"constant\"}", "{\"type\":\"step\",\"step_size\":3,\"gamma\":0.5}",
        "{\"type\":\"exponential\",\"gamma\":0.9}", "{\"type\":\"cosine\",\"T_max\":20,\"eta_min\":0.001}",
        "{\"type\":\"linear\",\"start_factor\":0.1,\"end_factor\":1.0,\"total_iters\":5}",
        "{\"type\":\"warmup\",\"warmup_steps\":3,\"start_factor\":0.0,\"after\":{\"type\":\"cosine\",\"T_max\":10,\"eta_min\":0.0}}")) {
      LrSchedule s = parse(json);
      String written = StrictJson.MAPPER.writeValueAsString(s);
      assertEquals(s, parse(written), written);
      assertEquals(json, written); // canonical form: every field, JSON names
    }
  }

  @Test
  void validation() {
    assertEquals("cosine: T_max must be an integer >= 1, got 0", messageOf("{\"type\":\"cosine\",\"T_max\":0}"));
    assertEquals("cosine: T_max must be given (an integer >= 1), got nothing", messageOf("{\"type\":\"cosine\"}"));
    assertEquals("step: step_size must be an integer >= 1, got -2",
        messageOf("{\"type\":\"step\",\"step_size\":-2}"));
    assertEquals("exponential: gamma must be > 0, got 0", messageOf("{\"type\":\"exponential\",\"gamma\":0}"));
    assertEquals("linear: start_factor must be in (0, 1], got 0", messageOf("{\"type\":\"linear\",\"start_factor\":0}"));
    assertEquals("warmup: warmup_steps must be an integer >= 1, got 0",
        messageOf("{\"type\":\"warmup\",\"warmup_steps\":0}"));
    assertThrows(UnrecognizedPropertyException.class, () -> parse("{\"type\":\"cosine\",\"T_max\":3,\"tmax\":3}"));
  }
}
