package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code golden} command: output lines, summary and exit codes 0 / 1 / 2. */
class GoldenCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new GoldenCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private static Path quadratic() {
    return io.adaspark.TestSpark.golden().resolve("quadratic.json");
  }

  @Test
  void quadraticFilePasses() {
    assertEquals(0, run(quadratic().toString()), err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(45, lines.length, out.toString());
    assertTrue(lines[0].matches("quadratic\\.json  sgd_plain  loss \\d\\.\\de-\\d\\d  grad \\d\\.\\de-\\d\\d  "
        + "params \\d\\.\\de-\\d\\d  PASS"), lines[0]);
    assertEquals("44 cases: 44 passed, 0 failed", lines[44]);
  }

  @Test
  void failingCaseExitsOneMalformedFileExitsTwo(@TempDir Path dir) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode root = mapper.readTree(quadratic().toFile());
    // a different lr in the first case (sgd_plain): its trajectory no longer matches
    ((ObjectNode) root.get("cases").get(0).get("hyperparameters")).put("lr", 0.011);
    mapper.writeValue(dir.resolve("a.json").toFile(), root);
    assertEquals(1, run(dir.toString()), err.toString());
    assertTrue(out.toString().contains("a.json  sgd_plain  loss"), out.toString());
    assertTrue(out.toString().contains("FAIL"), out.toString());
    assertTrue(out.toString().endsWith("44 cases: 43 passed, 1 failed\n"), out.toString());

    Files.writeString(dir.resolve("b.json"), "{\"problem\": \"quadratic\", \"x0\": [1, 2]");
    assertEquals(2, run(dir.toString()));
    assertTrue(err.toString().startsWith("b.json: not valid JSON"), err.toString());
  }
}
