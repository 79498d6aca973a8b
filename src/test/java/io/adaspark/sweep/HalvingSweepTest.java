package io.adaspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import io.adaspark.config.JobLoader;
import io.adaspark.train.RunResult;
import io.adaspark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successive halving on a real local[2] session: 9 configurations × 3 seeds, eta = 3, rungs at
 * steps 10 and 30 of 90. Which configurations stop where is worked out in the test from the
 * unscheduled sweep's train losses (median over seeds, ranked, ⌈live/3⌉ kept); the scheduled
 * sweep's rows are that sweep's rows up to each run's stop, bit for bit; a sweep of the survivor
 * alone gives its rows again; a sweep stopped between the two rungs resumes to the same tables.
 */
class HalvingSweepTest {
  static SparkSession spark;

  /** The nine optimizer entries, one configuration each. */
  static final List<String> ENTRIES = List.of(
      "{\"type\": \"sgd\", \"lr\": 0.01}", "{\"type\": \"sgd\", \"lr\": 0.1}", "{\"type\": \"sgd\", \"lr\": 1.0}",
      "{\"type\": \"adam\", \"lr\": 0.003}", "{\"type\": \"adam\", \"lr\": 0.03}", "{\"type\": \"adam\", \"lr\": 0.3}",
      "{\"type\": \"rmsprop\", \"lr\": 0.001}", "{\"type\": \"rmsprop\", \"lr\": 0.01}",
      "{\"type\": \"rmsprop\", \"lr\": 0.1}");

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  static String job(Path out, List<String> entries, String scheduler) {
    return """
        {"name": "hv",
         "data": {"type": "libsvm", "path": "%s", "num_features": 13, "test_fraction": 0.25},
         "model": {"type": "logreg", "l2": 0.001},
         "training": {"batch_size": 16, "steps": 90, "eval_every": 10, "seeds": [1, 2, 3], "partitions": 3},
         "optimizers": [%s],
         %s
         "output": "%s"}
        """.formatted(TestSpark.data("heart_scale.libsvm"), String.join(", ", entries),
        scheduler == null ? "" : "\"scheduler\": " + scheduler + ",", out);
  }

  static final String HALVING = "{\"type\": \"successive_halving\", \"eta\": 3, \"min_steps\": 10}";

  static JobRunner.Outcome run(String text, JobRunner.Options options) throws IOException {
    return JobRunner.run(spark, JobLoader.parse(text, "job.json"), new PrintStream(new ByteArrayOutputStream()),
        options);
  }

  /**
   * Metric rows without the wall-clock columns and without the labels of where a run stands in its
   * job file ({@code entry}, {@code trial}: a sweep without some entries numbers them differently),
   * by run id, in step order.
   */
  static Map<String, List<Row>> metrics(Path dir) {
    List<Row> rows = spark.read().parquet(dir.resolve("metrics").toString())
        .drop("wall_ms", "compute_ms", "optimizer_ms", "entry", "trial").orderBy("run_id", "step").collectAsList();
    return rows.stream().collect(Collectors.groupingBy(r -> r.getString(0), Collectors.toList()));
  }

  /** Metrics and runs tables without wall-clock columns, sorted. */
  static List<List<Row>> tables(Path dir) {
    return List.of(
        spark.read().parquet(dir.resolve("metrics").toString()).drop("wall_ms", "compute_ms", "optimizer_ms")
            .orderBy("run_id", "step").collectAsList(),
        spark.read().parquet(dir.resolve("runs").toString()).drop("wall_seconds", "seconds_to_target")
            .orderBy("run_id").collectAsList());
  }

  static Map<String, Row> runs(Path dir) {
    return spark.read().parquet(dir.resolve("runs").toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("run_id")), r -> r));
  }

  private static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  @Test
  void stopsTheConfigurationsRankedByHandAndLeavesEveryRowBitIdentical(@TempDir Path tmp) throws IOException {
    JobRunner.Outcome full = run(job(tmp.resolve("full"), ENTRIES, null), JobRunner.Options.DEFAULT);
    JobRunner.Outcome halved = run(job(tmp.resolve("halved"), ENTRIES, HALVING), JobRunner.Options.DEFAULT);
    Map<String, List<Row>> a = metrics(tmp.resolve("full/hv"));
    Map<String, List<Row>> b = metrics(tmp.resolve("halved/hv"));

    // Configurations: the runs of entry i are those with its optimizer entry (3 seeds each).
    List<List<String>> ids = new ArrayList<>();
    for (int i = 0; i < 9; i++) ids.add(new ArrayList<>());
    for (RunResult r : full.runs()) {
      int i = (r.spec().origin().charAt("optimizers[".length()) - '0');
      ids.get(i).add(r.runId());
    }
    Map<Integer, Double> at10 = new HashMap<>();
    Map<Integer, Double> at30 = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      List<Double> v10 = new ArrayList<>();
      List<Double> v30 = new ArrayList<>();
      for (String id : ids.get(i)) {
        Row r10 = a.get(id).get(10); // rows are steps 0..90
        Row r30 = a.get(id).get(30);
        v10.add(r10.getDouble(r10.fieldIndex("train_loss")));
        v30.add(r30.getDouble(r30.fieldIndex("train_loss")));
      }
      at10.put(i, median(v10));
      at30.put(i, median(v30));
    }
    Comparator<Integer> tie = Comparator.comparing(i -> ids.get(i).stream().min(String::compareTo).orElseThrow());
    List<Integer> rank10 = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
    rank10.sort(Comparator.comparing((Integer i) -> at10.get(i)).thenComparing(tie));
    List<Integer> rank30 = new ArrayList<>(rank10.subList(0, 3));
    rank30.sort(Comparator.comparing((Integer i) -> at30.get(i)).thenComparing(tie));
    int winner = rank30.get(0);

    Map<String, Row> runRows = runs(tmp.resolve("halved/hv"));
    for (int i = 0; i < 9; i++) {
      int r10 = rank10.indexOf(i);
      int r30 = rank30.indexOf(i);
      long stop = r10 >= 3 ? 10 : r30 >= 1 ? 30 : 90;
      for (String id : ids.get(i)) {
        Row run = runRows.get(id);
        String status = run.getString(run.fieldIndex("status"));
        String detail = run.getString(run.fieldIndex("status_detail"));
        if (stop == 10) {
          assertEquals("stopped", status, id);
          assertEquals("successive halving: rung 0 at step 10, rank " + (r10 + 1) + " of 9", detail);
        } else if (stop == 30) {
          assertEquals("stopped", status, id);
          assertEquals("successive halving: rung 1 at step 30, rank " + (r30 + 1) + " of 3", detail);
        } else {
          assertEquals("finished", status, id);
          assertEquals("", detail);
        }
        assertEquals(stop, run.getLong(run.fieldIndex("steps")), id);
        // The stopped run keeps its rows up to the rung, bit for bit those of the unscheduled sweep.
        assertEquals(a.get(id).subList(0, (int) stop + 1), b.get(id), id);
      }
    }
    long runSteps = halved.runs().stream().mapToLong(RunResult::stepsDone).sum();
    assertEquals(3 * (6 * 10 + 2 * 30 + 90), runSteps);

    // The survivor trained alone (no scheduler, no other run in its cohort): the same rows.
    run(job(tmp.resolve("alone"), List.of(ENTRIES.get(winner)), null), JobRunner.Options.DEFAULT);
    Map<String, List<Row>> c = metrics(tmp.resolve("alone/hv"));
    assertEquals(3, c.size());
    for (String id : ids.get(winner)) assertEquals(c.get(id), b.get(id), id);

    // Hyperband over the same nine: s_max = 2 (10·3² = 90). Bracket 2 holds all 9 (rungs 10 -> 3, 30 -> 1),
    // bracket 1 the first ⌈3·3/2⌉ = 5 (rung at 30 -> ⌊5/3⌋ = 1), bracket 0 the first 3 (to the end).
    JobRunner.Outcome hb = run(job(tmp.resolve("hb"), ENTRIES,
        "{\"type\": \"hyperband\", \"eta\": 3, \"min_steps\": 10}"), JobRunner.Options.DEFAULT);
    List<Integer> b1 = new ArrayList<>(List.of(0, 1, 2, 3, 4));
    b1.sort(Comparator.comparing((Integer i) -> at30.get(i)).thenComparing(tie));
    Map<String, List<Row>> h = metrics(tmp.resolve("hb/hv"));
    Map<String, Row> hbRuns = runs(tmp.resolve("hb/hv"));
    for (int i = 0; i < 9; i++) {
      boolean after10 = rank10.indexOf(i) < 3 || i < 5;
      boolean after30 = i == winner || i == b1.get(0) || i < 3;
      long stop = !after10 ? 10 : !after30 ? 30 : 90;
      for (String id : ids.get(i)) {
        Row run = hbRuns.get(id);
        assertEquals(stop, run.getLong(run.fieldIndex("steps")), "hyperband, configuration " + i);
        assertEquals(stop == 90 ? "finished" : "stopped", run.getString(run.fieldIndex("status")));
        assertTrue(stop == 90 || run.getString(run.fieldIndex("status_detail")).startsWith("hyperband bracket "),
            run.toString());
        assertEquals(a.get(id).subList(0, (int) stop + 1), h.get(id), id);
      }
    }
    assertEquals(27 * 90, hb.runs().size() * 90L);

    // The manifest records the rankings at both rungs and the run-steps spent.
    JsonNode m = new ObjectMapper().readTree(Files.readString(tmp.resolve("halved/hv/manifest.json")));
    JsonNode s = m.get("scheduler");
    assertEquals("successive_halving", s.get("type").asText());
    assertEquals(2, s.get("rungs").size());
    assertEquals(runSteps, s.get("run_steps").asLong());
    assertEquals(27 * 90, s.get("run_steps_without_scheduler").asLong());
    assertEquals(ids.get(winner).stream().sorted().toList(),
        toList(s.get("rungs").get(1).get("ranking").get(0).get("runs")).stream().sorted().toList());
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aSweepStoppedBetweenTwoRungsResumesToTheUninterruptedTables(@TempDir Path tmp) throws IOException {
    run(job(tmp.resolve("clean"), ENTRIES, HALVING), JobRunner.Options.DEFAULT);
    Path cut = tmp.resolve("cut");
    String text = job(cut, ENTRIES, HALVING);
    // The first cohort to reach step 20 (after rung 0 was decided at 10) stops as if the driver died.
    assertThrows(Trainer.Stopped.class, () -> run(text, new JobRunner.Options(false, 20)));
    assertTrue(Files.exists(cut.resolve(".hv.work/rungs/10.bin")), "rung 0 was committed");
    assertFalse(Files.exists(cut.resolve(".hv.work/rungs/30.bin")), "rung 1 was not reached");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    JobRunner.run(spark, JobLoader.parse(text, "job.json"), new PrintStream(log, true), JobRunner.Options.resuming());
    assertTrue(log.toString().contains("resuming the cohort from its checkpoint at step 10"), log.toString());
    assertEquals(tables(tmp.resolve("clean/hv")), tables(cut.resolve("hv")));
    String cleanManifest = Files.readString(tmp.resolve("clean/hv/manifest.json"));
    String cutManifest = Files.readString(cut.resolve("hv/manifest.json"));
    ObjectMapper om = new ObjectMapper();
    assertEquals(om.readTree(cleanManifest).get("scheduler"), om.readTree(cutManifest).get("scheduler"));
  }
}
