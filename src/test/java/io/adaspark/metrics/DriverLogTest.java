package io.adaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver log of a run: where it goes, what it keeps, when it stays. */
class DriverLogTest {
  @BeforeAll
  static void logging() {
    TestSpark.session(); // Spark's log4j 2 configuration, as in a run
  }

  @Test
  void keepsTaskFailuresAndStaysOnlyAfterAFailure(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    DriverLog log = DriverLog.open(out.toString(), "j", false);
    Path file = log.file();
    assertEquals(out.resolve(".j.work").resolve("driver.log"), file);
    LogManager.getLogger("org.apache.spark.scheduler.TaskSetManager").warn("Lost task 0.0 in stage 7.0");
    log.failed(new IllegalStateException("boom"));
    log.close();
    String text = Files.readString(file);
    assertTrue(text.contains("WARN [") && text.contains("org.apache.spark.scheduler.TaskSetManager: Lost task 0.0 in stage 7.0"), text);
    assertTrue(text.contains("java.lang.IllegalStateException: boom"), text);
    assertTrue(text.contains("\tat io.adaspark.metrics.DriverLogTest"), "the stack: " + text);
    // Closed: nothing more reaches the file.
    LogManager.getLogger("org.apache.spark.scheduler.TaskSetManager").warn("after close");
    assertFalse(Files.readString(file).contains("after close"));
  }

  @Test
  void leavesNothingAfterSuccessOrBadInput(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    DriverLog log = DriverLog.open(out.toString(), "j", false);
    assertNotNull(log.file());
    assertTrue(Files.exists(log.file()));
    LogManager.getLogger("org.apache.spark.executor.Executor").error("Exception in task 0.0", new RuntimeException("x"));
    log.close();
    assertFalse(Files.exists(out), "the output directory it created is gone");
    // An existing output directory stays; only the work directory the log created goes.
    Files.createDirectories(out.resolve("other"));
    DriverLog again = DriverLog.open(out.toString(), "j", false);
    again.close();
    assertTrue(Files.exists(out.resolve("other")));
    assertFalse(Files.exists(out.resolve(".j.work")));
  }

  @Test
  void aNonLocalOutputLogsToATemporaryFile() {
    assertEquals(null, DriverLog.localDir("hdfs://namenode:8020/runs"));
    assertEquals(Path.of("/data/runs"), DriverLog.localDir("file:///data/runs"));
    assertEquals(Path.of("rel").toAbsolutePath(), DriverLog.localDir("rel"));
  }
}
