package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adaspark.optim.Optimizer;
import io.adaspark.optim.OptimizerConfig;
import io.adaspark.optim.OptimizerState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the modern golden files ({@code src/test/resources/golden-modern}: Lion, LAMB,
 * LARS, Adafactor, Schedule-Free SGD/AdamW, Prodigy, Adan): the full check (problem gradient,
 * optimizer with the file's parameter blocks, both Schedule-Free points, the recorded state) and
 * the optimizer alone on the recorded gradients.
 */
class ModernGoldenCasesTest {
  private static final Map<String, GoldenProblem> PROBLEMS = new ConcurrentHashMap<>();

  static Path dir() {
    return io.adaspark.TestSpark.goldenDir("golden-modern");
  }

  static List<Path> paths() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases() {
    return paths().stream().flatMap(p -> {
      GoldenFile f = GoldenFiles.read(p);
      return f.cases().stream().map(c -> Arguments.of(f.fileName() + "/" + c.id(), p, c));
    });
  }

  @Test
  void allModernCasesAreThere() {
    assertEquals(74, cases().count());
    assertEquals(List.of("logreg.json", "mlp_tanh.json", "quadratic.json"),
        paths().stream().map(p -> p.getFileName().toString()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fullTrajectory(String name, Path path, GoldenCase c) {
    GoldenFile f = GoldenFiles.read(path);
    GoldenProblem problem = PROBLEMS.computeIfAbsent(f.fileName(), k -> GoldenProblems.of(f.root(), k));
    GoldenResult r = GoldenRunner.run(f, c, problem);
    assertTrue(r.passed(), r.line());
    if (!c.recorded().isEmpty() && c.recorded().keySet().stream().anyMatch(k -> !k.equals("params_y"))) {
      assertTrue(r.state() <= 1, "recorded state was checked: " + r.line());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void optimizerOnRecordedGradients(String name, Path path, GoldenCase c) {
    double err = GoldenRunner.replayRecordedGradients(GoldenFiles.read(path), c);
    assertTrue(err <= 1, name + ": scaled error of params/state " + err);
  }

  /**
   * Save after half the steps, restore into a fresh optimizer (same layout), continue on the recorded
   * gradients: parameters, evaluation point and state bit-identical to the uninterrupted run.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void saveRestoreMidTrajectoryIsBitIdentical(String name, Path path, GoldenCase c) {
    GoldenFile f = GoldenFiles.read(path);
    OptimizerConfig config = TorchConfigs.optimizer(c, f.fileName());
    Optimizer straight = config.create(f.layout());
    double[] a = f.x0().clone();
    for (int k = 0; k < c.steps(); k++) straight.step(a, c.grad()[k], config.lr());

    int half = c.steps() / 2;
    Optimizer first = config.create(f.layout());
    double[] b = f.x0().clone();
    for (int k = 0; k < half; k++) first.step(b, c.grad()[k], config.lr());
    OptimizerState saved = first.saveState();
    double[] checkpoint = b.clone();
    first.step(b, c.grad()[half], config.lr()); // the saved state must not follow later steps
    Optimizer resumed = config.create(f.layout());
    resumed.restoreState(saved);
    b = checkpoint;
    for (int k = half; k < c.steps(); k++) resumed.step(b, c.grad()[k], config.lr());
    assertArrayEquals(a, b, 0.0, name);
    assertArrayEquals(straight.evaluationPoint(a), resumed.evaluationPoint(b), 0.0, name);
    assertEquals(bits(straight.saveState()), bits(resumed.saveState()), name);
    straight.lastStep().forEach((k, v) -> assertArrayEquals(v, resumed.lastStep().get(k), 0.0, name + " " + k));
  }

  private static Map<String, String> bits(OptimizerState s) {
    Map<String, String> m = new java.util.TreeMap<>();
    s.buffers().forEach((k, v) -> m.put(k, java.util.Arrays.toString(v)));
    s.scalars().forEach((k, v) -> m.put(k, Long.toHexString(Double.doubleToRawLongBits(v))));
    m.put("step", Long.toString(s.step()));
    return m;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ObjectNode tree(String file) {
    try {
      return (ObjectNode) MAPPER.readTree(dir().resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode caseNode(ObjectNode root, String id) {
    for (var c : root.get("cases")) if (c.get("id").asText().equals(id)) return (ObjectNode) c;
    throw new AssertionError(id);
  }

  /** Only the named case, so the test runs one trajectory. */
  private static GoldenFile only(ObjectNode root, String id) {
    ObjectNode c = caseNode(root, id);
    ArrayNode cs = root.putArray("cases");
    cs.add(c);
    return GoldenFile.parse("edited.json", root);
  }

  @Test
  void recordedStateIsCheckedNotIgnored() {
    ObjectNode root = tree("logreg.json");
    ObjectNode c = caseNode(root, "prodigy_default_40steps");
    ArrayNode d = (ArrayNode) c.get("d");
    d.set(20, MAPPER.getNodeFactory().numberNode(d.get(20).doubleValue() * (1 + 1e-8)));
    GoldenFile f = only(root, "prodigy_default_40steps");
    GoldenResult r = GoldenRunner.run(f, f.cases().get(0), GoldenProblems.of(f.root(), f.fileName()));
    assertFalse(r.passed(), r.line());
    assertTrue(r.state() > 1 && r.params() <= 1, r.line());
    assertTrue(GoldenRunner.replayRecordedGradients(f, f.cases().get(0)) > 1);

    for (String field : List.of("trust_ratio", "clip_denom")) {
      ObjectNode root2 = tree("mlp_tanh.json");
      ObjectNode c2 = caseNode(root2, field.equals("trust_ratio") ? "lamb_default" : "adafactor_default");
      ArrayNode row = (ArrayNode) c2.get(field).get(3);
      row.set(2, MAPPER.getNodeFactory().numberNode(row.get(2).doubleValue() + 1e-6));
      GoldenFile f2 = only(root2, c2.get("id").asText());
      assertTrue(GoldenRunner.replayRecordedGradients(f2, f2.cases().get(0)) > 1, field);
    }
  }

  @Test
  void scheduleFreeParamsYAreChecked() {
    ObjectNode root = tree("quadratic.json");
    ArrayNode y = (ArrayNode) caseNode(root, "sf_adamw_default").get("params_y").get(5);
    y.set(0, MAPPER.getNodeFactory().numberNode(y.get(0).doubleValue() + 1e-6));
    GoldenFile f = only(root, "sf_adamw_default");
    GoldenResult r = GoldenRunner.run(f, f.cases().get(0), GoldenProblems.of(f.root(), f.fileName()));
    assertTrue(r.params() > 1, r.line());
  }

  @Test
  void scheduleFreeXAndYDifferBeyondTheTolerance() {
    // params is x and params_y is y: the check would fail if the runner compared y with params.
    GoldenFile f = GoldenFiles.read(dir().resolve("logreg.json"));
    GoldenCase c = f.cases().stream().filter(x -> x.id().equals("sf_sgd_default")).findFirst().orElseThrow();
    double[][] y = c.recorded().get("params_y");
    assertTrue(GoldenRunner.scaledError(y[10], c.params()[10], f.rtol(), f.atol()) > 1e3);
  }

  @Test
  void aRecordedFieldTheOptimizerDoesNotReportIsAnError() {
    ObjectNode root = tree("quadratic.json");
    ObjectNode lion = caseNode(root, "lion_default");
    lion.set("trust_ratio", caseNode(root, "lamb_default").get("trust_ratio"));
    GoldenFile f = only(root, "lion_default");
    GoldenResult r = GoldenRunner.runCatching(f, f.cases().get(0), GoldenProblems.of(f.root(), f.fileName()));
    assertFalse(r.passed());
    assertTrue(r.error().contains("records 'trust_ratio' but optimizer lion reports []"), r.error());
  }

  @Test
  void blocksMatter() {
    // LAMB and Adafactor per block (the file's layout) pass; the whole vector as one block does not.
    GoldenFile f = GoldenFiles.read(dir().resolve("mlp_tanh.json"));
    for (String id : List.of("lamb_default", "lars_wd0.01", "adafactor_default")) {
      GoldenCase c = f.cases().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      OptimizerConfig config = TorchConfigs.optimizer(c, f.fileName());
      Optimizer whole = config.create(f.x0().length);
      double[] theta = f.x0().clone();
      for (int k = 0; k < c.steps(); k++) whole.step(theta, c.grad()[k], config.lr());
      assertTrue(GoldenRunner.scaledError(theta, c.params()[c.steps() - 1], f.rtol(), f.atol()) > 1e3, id);
      assertTrue(GoldenRunner.replayRecordedGradients(f, c) <= 1, id);
    }
  }

  @Test
  void paramLayoutIsReadAndChecked() {
    ObjectNode root = tree("mlp_tanh.json");
    ObjectNode b1 = (ObjectNode) root.get("param_layout").get("blocks").get(1);
    b1.put("size", 9);
    GoldenFormatException e = assertThrows(GoldenFormatException.class, () -> GoldenFile.parse("x.json", root));
    assertTrue(e.getMessage().contains("param_layout.blocks[1]: size is 9, the shape has 8 elements"), e.getMessage());

    ObjectNode root2 = tree("mlp_tanh.json");
    ObjectNode w1 = (ObjectNode) root2.get("param_layout").get("blocks").get(0);
    w1.putArray("shape").add(4).add(8); // transposed: same size, not the model's W1[8][4]
    GoldenFile f = only(root2, "adafactor_default");
    GoldenResult r = GoldenRunner.runCatching(f, f.cases().get(0), GoldenProblems.of(f.root(), f.fileName()));
    assertFalse(r.passed());
    assertTrue(r.error().contains("is not the layout of adaspark's model"), r.error());
  }

  /**
   * The modern format on a problem of the classic format it does not ship (Rosenbrock), one Lion
   * step worked by hand: at (−1.2, 1) g = (−215.6, −88), loss 24.2; θ − 0.01·(sign(g) + 0.001·θ).
   */
  @Test
  void anyClassicProblemWorksInTheModernFormat() throws IOException {
    String json = """
        {"schema_version": 1, "problem": "rosenbrock", "x0": [-1.2, 1.0],
         "param_layout": {"n_params": 2, "blocks": [{"name": "xy", "shape": [2], "offset": 0, "size": 2}]},
         "cases": [{"id": "lion_rosen", "optimizer": "Lion", "hyperparameters":
                    {"lr": 0.01, "betas": [0.9, 0.99], "weight_decay": 0.001},
                    "scheduler": null, "minibatch": false, "steps": 1,
                    "loss": [24.2], "grad": [[-215.6, -88.0]], "params": [[-1.189988, 1.00999]],
                    "loss_final": 21.28626104308653}]}
        """;
    GoldenFile f = GoldenFile.parse("rosen-modern.json", MAPPER.readTree(json));
    GoldenResult r = GoldenRunner.run(f, f.cases().get(0), GoldenProblems.of(f.root(), f.fileName()));
    assertTrue(r.passed(), r.line());
    GoldenFile wrong = GoldenFile.parse("rosen-modern.json", MAPPER.readTree(json.replace("1.00999", "1.00998")));
    assertFalse(GoldenRunner.run(wrong, wrong.cases().get(0), new RosenbrockProblem()).passed());
  }
}
