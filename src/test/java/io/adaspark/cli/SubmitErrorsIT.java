package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.adaspark.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user sees for bad input, from the real {@code submit.sh} (spark-submit over the jar that
 * {@code package} built): exactly one line on stderr, exit code 2, nothing on stdout and no output
 * directory — no Spark task-failure report, no stack trace, no JVM warning. A failsafe
 * integration test (it needs {@code target/adaspark.jar}); alone:
 * {@code mvn -B verify -Dit.test=SubmitErrorsIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * The expected lines are written out by hand from the inputs below.
 */
class SubmitErrorsIT {
  static final Path BASE = TestSpark.basedir();
  static final Path DIR = BASE.resolve("target/it-submit-errors");

  @BeforeAll
  static void clean() throws IOException {
    if (Files.exists(DIR)) {
      try (var s = Files.walk(DIR)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(DIR);
  }

  /** Exit code, stdout and stderr (without submit.sh's own build messages) of one submit.sh run. */
  record Result(int code, String out, List<String> err) {}

  static Result submit(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(BASE.resolve("submit.sh").toString(),
        "--conf", "spark.ui.enabled=false")); // no "could not bind on port 4040" beside other builds' Spark
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(BASE.toFile());
    pb.environment().remove("SPARK_HOME"); // the embedded launcher over target/spark-home
    Process p = pb.start();
    p.getOutputStream().close();
    // Both streams read to their end: stderr passes through submit.sh's filter process, which
    // may write its last line just after the JVM exits.
    var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    String err = read(p.getErrorStream());
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("submit.sh did not finish: " + err);
    }
    List<String> lines = err.lines()
        .map(l -> l.replaceAll("\u001B\\[[0-9;]*m", ""))
        .filter(l -> !l.isBlank() && !l.startsWith("submit.sh: building"))
        .toList();
    return new Result(p.exitValue(), out.get(), lines);
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path job(String name, String data) throws IOException {
    Path job = DIR.resolve(name + ".json");
    Files.writeString(job, """
        {"name": "%s", "data": %s,
         "model": {"type": "logreg"}, "training": {"batch_size": 8, "steps": 2},
         "optimizers": [{"type": "sgd", "lr": 0.1}], "output": "%s"}
        """.formatted(name, data, DIR.resolve("out-" + name)));
    return job;
  }

  static void assertOneLine(String expected, Result r) {
    assertEquals(List.of(expected), r.err(), "stderr");
    assertEquals(2, r.code(), "exit code; stderr: " + r.err());
    assertEquals("", r.out(), "stdout");
  }

  @Test
  void aDataErrorFoundInATaskIsOneLine() throws Exception {
    Path data = DIR.resolve("nan.libsvm");
    Files.writeString(data, "1 1:0.5 2:1\n0 1:0.5 2:NaN\n1 1:1 2:2\n");
    Path job = job("nan", "{\"type\": \"libsvm\", \"path\": \"" + data + "\"}");
    assertOneLine("error: " + data + ":2: value of index 2 NaN is not a finite number", submit("run", job.toString()));
    assertFalse(Files.exists(DIR.resolve("out-nan")), "nothing written for bad data");
  }

  @Test
  void aFileThatIsNotParquetIsOneLine() throws Exception {
    Path dir = DIR.resolve("not-parquet");
    Files.createDirectories(dir);
    Path file = dir.resolve("part-0.parquet");
    Files.writeString(file, "label,a\n1,2\n");
    Path job = job("notparquet", "{\"type\": \"parquet\", \"path\": \"" + dir + "\"}");
    assertOneLine("error: " + file + ": not a Parquet file (it does not start with \"PAR1\": starts with \"labe\")",
        submit("run", job.toString()));
    assertFalse(Files.exists(DIR.resolve("out-notparquet")));
  }

  @Test
  void aSemanticJobFileErrorIsOneLineWithLineAndColumn() throws Exception {
    Path job = DIR.resolve("bad-lr.json");
    // Line 6 is `    "lr": -0.001}]`: the value starts in column 11.
    Files.writeString(job, """
        {
          "name": "bad-lr", "output": "%s",
          "data": {"type": "libsvm", "path": "data/heart_scale.libsvm"},
          "model": {"type": "logreg"}, "training": {"batch_size": 8, "steps": 2},
          "optimizers": [{"type": "sgd",
            "lr": -0.001}]
        }
        """.formatted(DIR.resolve("out-bad-lr")));
    assertOneLine("error: " + job + ":6:11: optimizers[0].lr: expected a number > 0, got -0.001 (sgd)",
        submit("run", job.toString()));
    assertFalse(Files.exists(DIR.resolve("out-bad-lr")));
  }
}
