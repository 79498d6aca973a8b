package io.adaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The identity columns are defined once ({@link RunIdentity#COLUMNS}) and stand, with the same
 * names, types and order, where the tables have always had them: names and positions written
 * out by hand here.
 */
class RunIdentityColumnsTest {
  private static final List<String> NAMES =
      List.of("model", "l2", "hidden", "batch_size", "training", "f_star", "entry", "trial");
  private static final List<String> TYPES =
      List.of("STRING", "DOUBLE", "STRING", "BIGINT", "STRING", "DOUBLE", "STRING", "BIGINT");

  @Test
  void columnsHaveTheNamesTypesAndOrderOfTheTables() {
    assertEquals(NAMES, RunIdentity.COLUMNS.stream().map(StructField::name).toList());
    assertEquals(TYPES, RunIdentity.COLUMNS.stream().map(f -> f.dataType().sql()).toList());
    // metrics/: 21 columns before the identity (run_id … validation_accuracy), none after.
    assertSlice(MetricsTables.METRICS, 21, 29);
    assertEquals("validation_accuracy", MetricsTables.METRICS.fields()[20].name());
    // runs/: 24 before (run_id … best_validation_accuracy), then eval_point.
    assertSlice(MetricsTables.RUNS, 24, 33);
    assertEquals("best_validation_accuracy", MetricsTables.RUNS.fields()[23].name());
    assertEquals("eval_point", MetricsTables.RUNS.fields()[32].name());
  }

  @Test
  void valuesFollowTheColumnOrderAndAreNullWithoutIdentity() {
    RunIdentity id = new RunIdentity("{\"type\":\"mlp\"}", 0.001, "64,32", 16, "{\"steps\":5}", 0.25,
        "optimizers[2]", 7L);
    assertArrayEquals(new Object[] {"{\"type\":\"mlp\"}", 0.001, "64,32", 16L, "{\"steps\":5}", 0.25,
        "optimizers[2]", 7L}, RunIdentity.values(id));
    assertArrayEquals(new Object[8], RunIdentity.values(null));
  }

  private static void assertSlice(StructType t, int from, int to) {
    StructField[] f = Arrays.copyOfRange(t.fields(), from, from + 8);
    assertEquals(NAMES, Arrays.stream(f).map(StructField::name).toList());
    assertEquals(TYPES, Arrays.stream(f).map(x -> x.dataType().sql()).toList());
    Arrays.stream(f).forEach(x -> assertEquals(true, x.nullable(), x.name()));
    assertEquals(to, t.fields().length);
  }
}
