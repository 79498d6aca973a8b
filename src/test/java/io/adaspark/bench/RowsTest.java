package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adaspark.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows are data: unique ids, a goal and both sides each, selected by id. */
class RowsTest {
  private static Bench.Options quick() {
    return new Bench.Options(new Bench.Sizes(4000, 10, 40000, 5, 4000, 1000, 10, 128, 2, 16L << 20),
        new Bench.Run(Bench.parseRows("all"), Set.of()), new Bench.Method(5, 2, 0, 1, 5, 0.3, 0),
        new Bench.Output("target/bench", "./submit.sh bench --quick"), true);
  }

  @Test
  void everyRowIsDataWithAGoalAndBothSides() {
    List<Row> rows = Rows.all(quick());
    Set<String> keys = new HashSet<>();
    List<String> ids = new ArrayList<>();
    for (Row r : rows) {
      assertTrue(keys.add(r.id() + "/" + r.variant()), "duplicate row " + r.id() + " " + r.variant());
      if (!ids.contains(r.id())) ids.add(r.id());
      assertNotNull(r.goal(), r.id());
      assertTrue(r.goal().value() > 0, r.id());
      assertNotNull(r.subject().action(), r.id());
      assertNotNull(r.anchor().action(), r.id());
      assertEquals("adaspark", r.subject().key(), r.id());
      assertEquals("anchor", r.anchor().key(), r.id());
      assertFalse(r.subject().what().isBlank() || r.anchor().what().isBlank() || r.round().isBlank(), r.id());
      assertFalse(r.title().isBlank(), r.id());
    }
    // BENCHMARKS.md's rows in order; rows 4 (K = 8, 32) and 10 (step, pass) have two figures each.
    assertEquals(Rows.IDS, ids);
    assertEquals(12, rows.size());
    // The goals of BENCHMARKS.md.
    assertEquals(new Goal(Figure.Kind.FASTER, 2.5), rows.get(0).goal());
    assertEquals(new Goal(Figure.Kind.WITHIN, 1.3), rows.get(2).goal());
    assertEquals(new Goal(Figure.Kind.WITHIN, 0.5), rows.get(7).goal());
    assertEquals(new Goal(Figure.Kind.FASTER, 1.2), rows.get(8).goal());
    // Row 3 measures the aggregate floor beside its lean floor, in the same rounds.
    assertEquals(List.of("adaspark", "anchor", "aggregate_floor"),
        rows.get(2).sides().stream().map(Side::key).toList());
  }

  @Test
  void rowsAreSelectedById() {
    List<Row> all = Rows.all(quick());
    List<Row> four = Rows.select(all, Set.of("4"));
    assertEquals(List.of("K = 8", "K = 32"), four.stream().map(Row::variant).toList());
    assertEquals(List.of("1", "10", "10"), Rows.select(all, Set.of("10", "1")).stream().map(Row::id).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rows.select(all, Set.of("11")));
    assertTrue(e.getMessage().startsWith("no benchmark row 11 (rows are 1, 2, 3"), e.getMessage());
  }

  /** One cheap row through the command: only it is measured, with its rounds and attempts. */
  @Test
  void rowsOptionRunsOnlyTheSelectedRowByTheFixedMethod(@TempDir Path dir) throws Exception {
    TestSpark.session();
    assertEquals(0, BenchMain.execute("--quick", "--n", "2000", "--rows", "9", "--tables", "none",
        "--reps", "3", "--out", dir.toString()));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    // The options stay one flat object in bench.json, whichever record of Bench.Options they are in.
    JsonNode opts = json.get("options");
    List<String> keys = new ArrayList<>();
    opts.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("n", "d", "n2", "d2", "sparse_n", "sparse_d", "sparse_nnz", "batch", "partitions", "steps",
        "warmup", "reps", "sweep_steps", "rows", "tables", "disturbed_threshold_cores", "retries", "quick"), keys);
    assertEquals(2000, opts.get("n").asLong());
    assertEquals(20000, opts.get("n2").asLong());  // 10 × n
    assertEquals(3, opts.get("reps").asInt());
    assertEquals("[9]", opts.get("rows").toString());
    assertEquals(0.3, opts.get("disturbed_threshold_cores").asDouble());
    assertEquals(1, json.get("rows").size());
    JsonNode r = json.get("rows").get(0);
    assertEquals("9", r.get("row").asText());
    // Raw bytes n·d·8 = 2000 · 10 · 8 in each of the 3 rounds.
    assertEquals(List.of(160000.0, 160000.0, 160000.0), doubles(r.get("detail").get("anchor_rounds").get("rounds")));
    assertEquals(160000.0, r.get("anchor_value").asDouble());
    assertEquals(3, r.get("detail").get("adaspark_rounds").get("rounds").size());
    assertEquals(1, r.get("detail").get("attempts").size());
    assertTrue(r.get("method").asText().contains("1 warm-up round of each side, then 3 paired rounds (adaspark, anchor)"),
        r.get("method").asText());
  }

  private static List<Double> doubles(JsonNode a) {
    List<Double> out = new ArrayList<>();
    for (JsonNode x : a) out.add(x.asDouble());
    return out;
  }
}
