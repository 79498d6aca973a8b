package io.adaspark.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of every golden file: the full check (problem gradient + optimizer + schedule), and
 * the optimizer/schedule alone on the recorded gradients (which needs no model kernels).
 */
class GoldenCasesTest {
  private static final Map<String, GoldenProblem> PROBLEMS = new ConcurrentHashMap<>();

  static Stream<Arguments> cases() {
    return GoldenFiles.paths().stream().flatMap(p -> {
      GoldenFile f = GoldenFiles.read(p);
      return f.cases().stream().map(c -> Arguments.of(f.fileName() + "/" + c.id(), p, c));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fullTrajectory(String name, Path path, GoldenCase c) {
    GoldenFile f = GoldenFiles.read(path);
    GoldenProblem problem = PROBLEMS.computeIfAbsent(f.fileName(), k -> GoldenProblems.of(f.root(), k));
    GoldenResult r = GoldenRunner.run(f, c, problem);
    assertTrue(r.passed(), r.line());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void optimizerOnRecordedGradients(String name, Path path, GoldenCase c) {
    double err = GoldenRunner.replayRecordedGradients(GoldenFiles.read(path), c);
    assertTrue(err <= 1, name + ": scaled error of params/lr " + err);
  }
}
