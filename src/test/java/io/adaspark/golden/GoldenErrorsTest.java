package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Unknown optimizers, schedulers, hyper-parameters and problems are clear errors, not skips. */
class GoldenErrorsTest {
  private static GoldenFile withCase(String optimizer, String hyper, String schedulerJson) throws Exception {
    GoldenJsonBuilder b = new GoldenJsonBuilder("rosenbrock", 0.0, 0.0);
    ObjectNode c = b.addCase("c1", optimizer, hyper, new double[] {1}, 1, new double[][] {{0, 0}},
        new double[][] {{0, 0}});
    if (schedulerJson != null) c.set("scheduler", GoldenJsonBuilder.MAPPER.readTree(schedulerJson));
    return b.file("x.json");
  }

  private static String runError(GoldenFile f) {
    GoldenFormatException e = assertThrows(GoldenFormatException.class,
        () -> GoldenRunner.run(f, f.cases().get(0), new RosenbrockProblem()));
    return e.getMessage();
  }

  @Test
  void unknownOptimizer() throws Exception {
    String m = runError(withCase("LBFGS", "{\"lr\":1}", null));
    assertTrue(m.startsWith("x.json case 'c1': unknown optimizer 'LBFGS' (known: [Adadelta, Adagrad, Adam,"), m);
  }

  @Test
  void unknownHyperparameterNamesItAndTheCase() throws Exception {
    String m = runError(withCase("Adam", "{\"lr\":0.1,\"lookahead\":5}", null));
    assertTrue(m.startsWith("x.json case 'c1': {\"type\":\"adam\",\"lr\":0.1,\"lookahead\":5}:"), m);
    assertTrue(m.contains("lookahead"), m);
  }

  @Test
  void invalidHyperparameterGivesTheValidationMessage() throws Exception {
    String m = runError(withCase("Adam", "{\"lr\":0.1,\"betas\":[0.9,1.5]}", null));
    assertTrue(m.endsWith(": adam: betas[1] must be in [0, 1), got 1.5"), m);
  }

  @Test
  void codePathFlagsOnlyWhenFalseOrNull() throws Exception {
    GoldenFile ok = withCase("RAdam", "{\"lr\":0.1,\"foreach\":null,\"capturable\":false,\"differentiable\":false}", null);
    assertEquals("radam", TorchConfigs.optimizer(ok.cases().get(0), "x.json").typeName());
    String m = runError(withCase("SGD", "{\"lr\":0.1,\"maximize\":true}", null));
    assertEquals("x.json case 'c1': torch flag maximize = true is not supported", m);
  }

  @Test
  void unknownScheduler() throws Exception {
    String m = runError(withCase("SGD", "{\"lr\":0.1}", "{\"name\":\"OneCycleLR\",\"kwargs\":{\"max_lr\":1}}"));
    assertTrue(m.startsWith("x.json case 'c1': unknown scheduler 'OneCycleLR'"), m);
  }

  @Test
  void schedulerDefaultsAreIgnoredButOtherKwargsAreNot() throws Exception {
    GoldenFile f = withCase("SGD", "{\"lr\":0.1}",
        "{\"name\":\"CosineAnnealingLR\",\"kwargs\":{\"T_max\":10,\"last_epoch\":-1,\"verbose\":false}}");
    assertEquals("{\"type\":\"cosine\",\"T_max\":10}", TorchConfigs.scheduleJson(f.cases().get(0), "x.json").toString());
    String m = runError(withCase("SGD", "{\"lr\":0.1}", "{\"name\":\"StepLR\",\"kwargs\":{\"step_size\":2,\"last_epoch\":3}}"));
    assertTrue(m.contains("last_epoch"), m);
  }

  @Test
  void unknownProblem() {
    GoldenJsonBuilder b = new GoldenJsonBuilder("himmelblau", 0.0, 0.0);
    GoldenFormatException e = assertThrows(GoldenFormatException.class, () -> GoldenProblems.of(b.root, "h.json"));
    assertEquals("h.json: unknown problem 'himmelblau' (known: quadratic, rosenbrock, logreg, softmax, mlp_*)",
        e.getMessage());
  }

  @Test
  void malformedFile() {
    GoldenJsonBuilder b = new GoldenJsonBuilder("rosenbrock", 0.0, 0.0);
    b.addCase("c1", "SGD", "{\"lr\":1}", new double[] {1, 2}, 1, new double[][] {{0, 0}}, new double[][] {{0, 0}});
    GoldenFormatException e = assertThrows(GoldenFormatException.class, () -> b.file("m.json"));
    assertEquals("m.json case 'c1': 'grad' has 1 entries, steps is 2", e.getMessage());
  }
}
