package io.adaspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation split: rows disjoint from train and test, every row somewhere, the test rows
 * exactly those of the job without a validation split (so test figures stay comparable), and the
 * validation rows taken from what was training data.
 */
class ValidationSplitTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  /** Feature 1 of every row of the blocks: the row's own number in this test's file. */
  static Set<Integer> rowNumbers(JavaRDD<DataBlock> blocks) {
    Set<Integer> out = new TreeSet<>();
    for (DataBlock b : blocks.collect()) {
      DenseBlock d = (DenseBlock) b;
      for (int r = 0; r < d.numRows(); r++) {
        int id = (int) d.x()[r * d.numFeatures()];
        assertTrue(out.add(id), "row " + id + " twice");
      }
    }
    return out;
  }

  @Test
  void validationRowsAreDisjointFromTrainAndTestRows(@TempDir Path tmp) throws IOException {
    int n = 600;
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= n; i++) text.append(i % 2).append(" 1:").append(i).append(" 2:").append(i % 7).append('\n');
    Path f = tmp.resolve("rows.libsvm");
    Files.writeString(f, text);
    PreparedData before = DatasetLoader.load(spark, LibsvmSpec.of(f.toString(), 2, 0.25, 9L, false, "dense"), 3);
    PreparedData with = DatasetLoader.load(spark, LibsvmSpec.of(f.toString(), 2, 0.25, 9L, false, "dense", 0.2), 3);
    try {
      Set<Integer> train = rowNumbers(with.train());
      Set<Integer> test = rowNumbers(with.test());
      Set<Integer> validation = rowNumbers(with.validation());
      assertEquals(0, before.validationRows());
      assertEquals(validation.size(), with.validationRows());
      assertEquals(train.size(), with.trainRows());
      // Disjoint, and together every row.
      Set<Integer> all = new HashSet<>();
      for (Set<Integer> s : List.of(train, test, validation)) {
        for (int id : s) assertTrue(all.add(id), "row " + id + " in two splits");
      }
      assertEquals(n, all.size());
      // About 20 % of the rows (binomial: 120 ± 4 standard deviations of ~9.8).
      assertTrue(validation.size() > 80 && validation.size() < 160, validation.size() + " validation rows");
      // The test rows are those of the job without validation; validation comes out of training.
      assertEquals(rowNumbers(before.test()), test);
      Set<Integer> trainBefore = rowNumbers(before.train());
      Set<Integer> union = new TreeSet<>(train);
      union.addAll(validation);
      assertEquals(trainBefore, union);
    } finally {
      before.unpersist();
      with.unpersist();
    }
  }

  @Test
  void syntheticDataHasTheSameThreeWaySplit() {
    PreparedData before = DatasetLoader.load(spark, SyntheticSpec.of("gaussian_mixture", 2000L, 3, null, null, null,
        4L, 0.2, 5L, false, "dense"), 3);
    PreparedData with = DatasetLoader.load(spark, SyntheticSpec.of("gaussian_mixture", 2000L, 3, null, null, null,
        4L, 0.2, 5L, false, "dense", 0.3), 3);
    try {
      assertEquals(2000, with.trainRows() + with.testRows() + with.validationRows());
      assertEquals(before.testRows(), with.testRows());
      assertEquals(before.trainRows(), with.trainRows() + with.validationRows());
      assertTrue(with.validationRows() > 500 && with.validationRows() < 700, with.validationRows() + "");
      long counted = 0;
      for (DataBlock b : with.validation().collect()) counted += b.numRows();
      assertEquals(with.validationRows(), counted);
    } finally {
      before.unpersist();
      with.unpersist();
    }
  }
}
