package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code jobs/hyperband.json} through the command line ({@code run}, as
 * {@code ./submit.sh run} does) on local[2]: 9 configurations × 3 seeds, 90 steps, eta 3,
 * min_steps 10. Li et al.'s brackets worked by hand (R = 9 units of 10 steps, s_max = 2: n =
 * ⌈3·3^s/(s + 1)⌉ = 9, 5, 3 configurations; rung i of bracket s at 10·3^(2−s+i); kept ⌊n/3^(i+1)⌋),
 * every decision replayed from the metrics table (median train loss over
 * the seeds at the rung, ties by the smallest run id), every run's status, steps and detail
 * derived from those replays, and the report: the rung figure and table, and each optimizer's
 * best configuration, which must be one trained to the end.
 */
class HyperbandJobTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  /** Bracket s: its configurations (the first n in plan order) and its rungs (step, kept). */
  record Bracket(int s, int n, long[] steps, int[] kept) {}

  static final List<Bracket> BRACKETS = List.of(
      new Bracket(2, 9, new long[] {10, 30}, new int[] {3, 1}),
      new Bracket(1, 5, new long[] {30}, new int[] {1}),
      new Bracket(0, 3, new long[] {}, new int[] {}));
  static final long STEPS = 90;

  @Test
  void hyperbandJobRunsFromTheJobFileWithLiEtAlsBracketsAndAReportOfTheFinishedBest(@TempDir Path tmp)
      throws IOException {
    Path base = TestSpark.data("breast_cancer.libsvm").getParent().getParent();
    String text = Files.readString(base.resolve("jobs/hyperband.json"))
        .replace("\"data/breast_cancer.libsvm\"", "\"" + TestSpark.data("breast_cancer.libsvm") + "\"")
        .replace("\"output\": \"out\"", "\"output\": \"" + tmp.resolve("out") + "\"");
    Path job = tmp.resolve("hyperband.json");
    Files.writeString(job, text);
    Cli.Result r = Cli.run("run", job.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue((r.out() + r.err()).contains("scheduler: hyperband, eta 3, rungs at steps [10, 30], 9 configurations in 3 "
        + "bracket(s)"), r.out());
    Path dir = tmp.resolve("out/hyperband");

    // Configurations in plan order (optimizer entry, then trial), each with its runs (seeds).
    Map<String, List<Row>> byConfig = new TreeMap<>();
    List<Row> runs = spark.read().parquet(dir.resolve("runs").toString()).collectAsList();
    assertEquals(27, runs.size());
    for (Row run : runs) byConfig.computeIfAbsent(run.getString(run.fieldIndex("config")), k -> new ArrayList<>()).add(run);
    List<String> plan = new ArrayList<>(byConfig.keySet());
    plan.sort(Comparator.comparing((String c) -> entryIndex(byConfig.get(c).get(0)))
        .thenComparingLong(c -> byConfig.get(c).get(0).getLong(byConfig.get(c).get(0).fieldIndex("trial"))));
    assertEquals(9, plan.size());
    Map<String, Map<Long, Double>> trainLoss = new HashMap<>(); // run id -> step -> train loss
    for (Row m : spark.read().parquet(dir.resolve("metrics").toString()).where("train_loss IS NOT NULL")
        .select("run_id", "step", "train_loss").collectAsList()) {
      trainLoss.computeIfAbsent(m.getString(0), k -> new HashMap<>()).put(m.getLong(1), m.getDouble(2));
    }

    // The manifest's plan and rankings against the hand-worked brackets and a replay from the metrics.
    JsonNode sch = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()).get("scheduler");
    assertEquals("hyperband", sch.get("type").asText());
    JsonNode brackets = sch.get("brackets");
    assertEquals(3, brackets.size());
    Map<String, Long> stop = new HashMap<>(); // configuration -> the step it trains to
    Map<String, Long> droppedAt = new HashMap<>();
    Map<String, List<String>> rankings = new LinkedHashMap<>(); // "step/s" -> configurations ranked
    for (JsonNode rg : sch.get("rungs")) {
      List<String> ranked = new ArrayList<>();
      for (JsonNode e : rg.get("ranking")) ranked.add(configOf(byConfig, e.get("runs").get(0).asText()));
      rankings.put(rg.get("step").asLong() + "/" + rg.get("bracket").asInt(), ranked);
    }
    assertEquals(3, rankings.size()); // 2 + 1 decision rungs
    for (int b = 0; b < BRACKETS.size(); b++) {
      Bracket br = BRACKETS.get(b);
      assertEquals(br.s(), brackets.get(b).get("s").asInt());
      assertEquals(br.n(), brackets.get(b).get("configurations").asInt());
      List<String> live = new ArrayList<>(plan.subList(0, br.n()));
      for (int i = 0; i < br.steps().length; i++) {
        long t = br.steps()[i];
        List<String> ranked = new ArrayList<>(live);
        Map<String, Double> median = new HashMap<>();
        Map<String, String> tie = new HashMap<>();
        for (String c : ranked) {
          List<Double> v = new ArrayList<>();
          for (Row run : byConfig.get(c)) v.add(trainLoss.get(run.getString(0)).get(t));
          v.sort(null);
          median.put(c, v.get(1)); // three seeds
          tie.put(c, byConfig.get(c).stream().map(x -> x.getString(0)).min(String::compareTo).orElseThrow());
        }
        ranked.sort(Comparator.comparingDouble(median::get).thenComparing(tie::get));
        assertEquals(ranked, rankings.get(t + "/" + br.s()), "bracket " + br.s() + " at step " + t);
        for (String c : ranked.subList(br.kept()[i], ranked.size())) droppedAt.merge(c, t, Math::max);
        live = new ArrayList<>(ranked.subList(0, br.kept()[i]));
      }
      for (String c : live) stop.put(c, STEPS);
    }
    for (String c : plan) stop.putIfAbsent(c, droppedAt.get(c));

    // Every run: steps trained, status and detail follow from the replay.
    Pattern detail = Pattern.compile("hyperband bracket [12], successive halving: rung [01] at step (10|30), "
        + "rank [0-9]+ of [0-9]+");
    long runSteps = 0;
    for (String c : plan) {
      for (Row run : byConfig.get(c)) {
        long steps = run.getLong(run.fieldIndex("steps"));
        String status = run.getString(run.fieldIndex("status"));
        String d = run.getString(run.fieldIndex("status_detail"));
        assertEquals((long) stop.get(c), steps, c);
        runSteps += steps;
        if (stop.get(c) == STEPS) {
          assertEquals("finished", status, c);
        } else {
          assertEquals("stopped", status, c);
          var m = detail.matcher(d);
          assertTrue(m.matches(), d);
          assertEquals(stop.get(c), Long.parseLong(m.group(1)), d);
        }
      }
    }
    assertEquals(runSteps, sch.get("run_steps").asLong());
    assertEquals(27 * STEPS, sch.get("run_steps_without_scheduler").asLong());

    // The report: rung figure and table, and bests trained to the end.
    Path report = dir.resolve("report");
    byte[] png = Files.readAllBytes(report.resolve("rungs.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    List<String> csv = Files.readAllLines(report.resolve("rungs.csv"));
    assertEquals("0,9,0,0,,,,,", csv.get(1));
    long alive10 = plan.stream().filter(c -> stop.get(c) > 10).count();
    long spent = plan.stream().mapToLong(stop::get).sum();
    assertTrue(csv.contains("10," + alive10 + ",90,90,,,,,"), csv.toString());
    assertTrue(csv.contains(STEPS + "," + plan.stream().filter(c -> stop.get(c) == STEPS).count() + "," + spent
        + "," + 9 * STEPS + ",,,,,"), csv.toString());
    assertTrue(csv.contains("10,,,,2,0,9,3," + (1 + rankings.get("10/2").indexOf(best(plan, byConfig, stop, null)))),
        csv.toString());
    String md = Files.readString(report.resolve("index.md"));
    assertTrue(md.contains("## Rungs (hyperband)"), md);
    assertTrue(md.contains("Config-steps spent: " + spent + " of " + 9 * STEPS + " without a scheduler"), md);
    List<Row> summary = spark.read().option("header", true).option("escape", "\"")
        .csv(report.resolve("summary.csv").toString()).select("optimizer", "best_config").collectAsList();
    assertEquals(3, summary.size());
    for (Row s : summary) {
      String opt = s.getString(0);
      String expected = best(plan, byConfig, stop, opt);
      assertEquals(expected, s.isNullAt(1) ? null : s.getString(1), opt);
      if (expected == null) {
        assertTrue(md.contains("| " + opt + " | none: no configuration trained to the end (the scheduler stopped "
            + "them) |"), md);
      }
    }
  }

  /** The configuration trained to the end with the lowest median final train loss (of {@code optimizer}, or any). */
  static String best(List<String> plan, Map<String, List<Row>> byConfig, Map<String, Long> stop, String optimizer) {
    String best = null;
    double value = Double.POSITIVE_INFINITY;
    for (String c : plan) {
      Row first = byConfig.get(c).get(0);
      if (stop.get(c) != STEPS || (optimizer != null && !first.getString(first.fieldIndex("optimizer")).equals(optimizer))) {
        continue;
      }
      List<Double> v = new ArrayList<>();
      for (Row run : byConfig.get(c)) v.add(run.getDouble(run.fieldIndex("final_train_loss")));
      v.sort(null);
      if (v.get(1) < value) {
        value = v.get(1);
        best = c;
      }
    }
    return best;
  }

  static int entryIndex(Row run) {
    String e = run.getString(run.fieldIndex("entry")); // optimizers[i]
    return Integer.parseInt(e.substring(e.indexOf('[') + 1, e.indexOf(']')));
  }

  static String configOf(Map<String, List<Row>> byConfig, String runId) {
    Set<String> found = new HashSet<>();
    byConfig.forEach((c, rs) -> rs.forEach(r -> {
      if (r.getString(0).equals(runId)) found.add(c);
    }));
    assertEquals(1, found.size(), runId);
    return found.iterator().next();
  }
}
