package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
