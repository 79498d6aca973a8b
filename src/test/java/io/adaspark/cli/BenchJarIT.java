package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The bench lives outside the product (issue 23): after {@code package}, the application jar
 * holds no bench class, the bench jar holds only the bench, and {@code ./submit.sh bench} still
 * starts it (through spark-submit, with the application jar on the class path).
 */
class BenchJarIT {
  static final Path BASE = TestSpark.basedir();

  static List<String> classes(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
    }
  }

  @Test
  void theApplicationJarHoldsNoBenchClassAndTheBenchJarOnlyTheBench() throws IOException {
    List<String> app = classes(BASE.resolve("target/adaspark.jar"));
    assertTrue(app.contains("io/adaspark/cli/Main.class"), "application jar without Main");
    assertEquals(List.of(), app.stream().filter(n -> n.startsWith("io/adaspark/bench/")).toList());
    List<String> bench = classes(BASE.resolve("target/adaspark-bench.jar"));
    assertTrue(bench.contains("io/adaspark/bench/BenchMain.class"), bench.toString());
    assertEquals(List.of(), bench.stream().filter(n -> !n.startsWith("io/adaspark/bench/")).toList());
  }

  @Test
  void submitShStartsTheBenchFromItsOwnJar() throws Exception {
    Process p = new ProcessBuilder(BASE.resolve("submit.sh").toString(), "--driver-memory", "512m", "bench", "--help")
        .directory(BASE.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "submit.sh bench --help did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Usage: bench"), out);
    assertTrue(out.contains("--rows"), out);
  }
}
