package io.adaspark.data;

import io.adaspark.check.Mix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.stat.SummarizerBuffer;
import org.apache.spark.storage.StorageLevel;

/**
 * Synthetic data generated on the executors straight into blocks (nothing on the driver, no
 * shuffle). Partition p of P holds the contiguous row ids [p·n/P, (p+1)·n/P) (the first n mod P
 * partitions one row more); row i is a pure function of (seed, i); it is a test row when the
 * split hash of (split_seed, i) says so, as for file inputs. So a row's values and split do not
 * depend on P; which partition holds it does.
 */
final class SyntheticSource {
  private SyntheticSource() {}

  static long first(long n, int parts, int p) {
    return (n / parts) * p + Math.min(p, n % parts);
  }

  static PreparedData load(JavaSparkContext jsc, SyntheticSpec spec, int partitions) {
    Generators gen0 = new Generators(spec);
    boolean sparse = switch (spec.layout()) {
      case "sparse" -> true;
      case "dense" -> false;
      default -> gen0.sparse && spec.density() < io.adaspark.data.DataSpec.SPARSE_BELOW;
    };
    int d = spec.features();
    long n = spec.rows();
    double tf = spec.testFraction();
    double vf = spec.validationFraction();
    int groups = vf > 0 ? 3 : 2; // train, test (and validation)
    long splitSeed = spec.splitSeed();
    List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
    JavaRDD<Integer> parts = jsc.parallelize(ids, partitions);

    double[] mean = null;
    double[] std = null;
    double[] factor = null;
    if (spec.standardize()) {
      List<SummarizerBuffer> bufs = parts.map(p -> {
        Generators g = new Generators(spec);
        SummarizerBuffer b = DatasetLoader.newBuffer();
        double[] x = new double[d];
        int[] idx = new int[g.k];
        double[] val = new double[g.k];
        for (long i = first(n, partitions, p), hi = first(n, partitions, p + 1); i < hi; i++) {
          if (DatasetLoader.split(splitSeed, tf, vf, i) != DatasetLoader.TRAIN) continue;
          if (g.sparse) {
            g.sparse(i, idx, val, 0);
            b.add(new SparseVector(d, idx, val));
          } else {
            g.dense(i, x, 0);
            b.add(new DenseVector(x));
          }
        }
        return b;
      }).collect();
      SummarizerBuffer s = DatasetLoader.newBuffer();
      for (SummarizerBuffer b : bufs) s = s.merge(b);
      if (s.count() == 0) throw new DataException(spec.source() + ": no training rows after the split");
      std = s.std().toArray();
      factor = new double[d];
      for (int j = 0; j < d; j++) factor[j] = std[j] != 0.0 ? 1.0 / std[j] : 0.0;
      if (!sparse) mean = s.mean().toArray();
    }
    double[] m = mean;
    double[] f = factor;
    JavaRDD<DataBlock[]> pairs = parts.map(p -> {
      Generators g = new Generators(spec);
      long lo = first(n, partitions, p);
      long hi = first(n, partitions, p + 1);
      int[] rows = new int[groups];
      for (long i = lo; i < hi; i++) rows[DatasetLoader.split(splitSeed, tf, vf, i)]++;
      return sparse ? sparseBlocks(g, lo, hi, rows, splitSeed, tf, vf, f)
          : denseBlocks(g, lo, hi, rows, splitSeed, tf, vf, m, f);
    }).persist(StorageLevel.MEMORY_AND_DISK());
    // The cached train/test blocks are the very objects of the cached pairs (no copy).
    JavaRDD<DataBlock> train = pairs.map(t -> t[0]).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DataBlock> test = pairs.map(t -> t[1]).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DataBlock> validation = groups < 3 ? null : pairs.map(t -> t[2]).persist(StorageLevel.MEMORY_AND_DISK());
    train.setName("adaspark train blocks");
    test.setName("adaspark test blocks");
    if (validation != null) validation.setName("adaspark validation blocks");
    List<long[]> perTrain = DatasetLoader.blockStats(train);
    List<long[]> perTest = DatasetLoader.blockStats(test);
    long[] va = validation == null ? new long[2] : DatasetLoader.totals(DatasetLoader.blockStats(validation));
    pairs.unpersist(false);
    long[] tr = DatasetLoader.totals(perTrain);
    long[] te = DatasetLoader.totals(perTest);
    if (tr[0] == 0) throw new DataException(spec.source() + ": no training rows after the split");
    long[] partitionRows = perTrain.stream().mapToLong(s -> s[0]).toArray();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("generator", spec.generator());
    details.put("seed", spec.seed());
    details.put("row_stream", "row i: new java.util.SplittableRandom(Mix.mix(seed, 0x5eed, i))");
    if (spec.generator().equals("logistic")) {
      Map<String, Object> truth = new LinkedHashMap<>();
      truth.put("model", "P(y=1|x) = sigmoid(bias + scale/sqrt(k) * w.x), k = non-zeros per row; then labels flipped with probability noise");
      truth.put("bias", Generators.BIAS);
      truth.put("scale", Generators.SCALE);
      truth.put("nonzeros_per_row", gen0.k);
      truth.put("weights_rule", "w[j] = new java.util.SplittableRandom(Mix.mix(seed, 0x7e0e7e0e, j)).nextGaussian() "
          + "(io.adaspark.data.Generators.trueWeights(seed, d))");
      if (d <= 1000) truth.put("weights", Generators.trueWeights(spec.seed(), d));
      details.put("ground_truth", truth);
    } else if (spec.generator().equals("gaussian_mixture")) {
      details.put("ground_truth", Map.of("class_means_rule",
          "mu[c][j] = 3/sqrt(d) * new SplittableRandom(Mix.mix(seed, 0x6d6d6d6d, c, j)).nextGaussian(); x = mu[y] + N(0, I)"));
    } else if (spec.generator().equals("spheres")) {
      details.put("ground_truth", Map.of("rule", "x = (1 + y + 0.1 N(0,1)) * u, u uniform on the unit sphere"));
    } else {
      details.put("ground_truth", Map.of("rule", "x uniform in [-1, 1]^d, y = (x1 > 0) xor (x2 > 0)"));
    }
    double density = gen0.sparse ? (double) gen0.k / d : 1.0;
    DataFingerprint fp = new DataFingerprint(spec.source(), "synthetic", 0, 0, n,
        String.format("%016x", Mix.mix(spec.seed(), n, d, spec.classes(), Double.doubleToLongBits(spec.density()),
            Double.doubleToLongBits(spec.noise()), spec.generator().hashCode())));
    String coding = "as given (0.." + (spec.classes() - 1) + ")";
    return new PreparedData(train, test, d, spec.classes(), partitionRows, tr[0], te[0], partitions,
        tr[1] + te[1] + va[1], density, coding, mean, std, fp, sparse ? "sparse" : "dense", details, validation, va[0]);
  }

  /** The blocks of one partition's rows: [train, test] or [train, test, validation]. */
  private static DataBlock[] denseBlocks(Generators g, long lo, long hi, int[] rows,
                                         long splitSeed, double tf, double vf, double[] mean, double[] factor) {
    int d = g.d;
    int nTrain = rows[0];
    if ((long) java.util.Arrays.stream(rows).max().getAsInt() * d > Integer.MAX_VALUE - 16) {
      throw new DataException("a partition holds " + nTrain + " rows of " + d + " features (over 2^31 values): raise training.partitions");
    }
    double[][] x = new double[rows.length][];
    double[][] y = new double[rows.length][];
    for (int s = 0; s < rows.length; s++) {
      x[s] = new double[rows[s] * d];
      y[s] = new double[rows[s]];
    }
    int[] at = new int[rows.length];
    for (long i = lo; i < hi; i++) {
      int s = DatasetLoader.split(splitSeed, tf, vf, i);
      int off = at[s] * d;
      y[s][at[s]++] = g.dense(i, x[s], off);
      if (mean != null || factor != null) {
        for (int j = 0; j < d; j++) {
          double v = x[s][off + j];
          if (mean != null) v -= mean[j];
          if (factor != null) v *= factor[j];
          x[s][off + j] = v;
        }
      }
    }
    DataBlock[] out = new DataBlock[rows.length];
    for (int s = 0; s < rows.length; s++) out[s] = new DenseBlock(rows[s], d, x[s], y[s]);
    return out;
  }

  private static DataBlock[] sparseBlocks(Generators g, long lo, long hi, int[] rows,
                                          long splitSeed, double tf, double vf, double[] factor) {
    int k = g.k;
    if ((long) java.util.Arrays.stream(rows).max().getAsInt() * k > Integer.MAX_VALUE - 16) {
      throw new DataException("a partition holds over 2^31 non-zeros: raise training.partitions");
    }
    List<int[]> indptr = new ArrayList<>();
    List<int[]> idx = new ArrayList<>();
    List<double[]> val = new ArrayList<>();
    List<double[]> y = new ArrayList<>();
    for (int s = 0; s < rows.length; s++) {
      int[] ptr = new int[rows[s] + 1];
      for (int r = 0; r <= rows[s]; r++) ptr[r] = r * k;
      indptr.add(ptr);
      idx.add(new int[rows[s] * k]);
      val.add(new double[rows[s] * k]);
      y.add(new double[rows[s]]);
    }
    int[] at = new int[rows.length];
    for (long i = lo; i < hi; i++) {
      int s = DatasetLoader.split(splitSeed, tf, vf, i);
      int off = at[s] * k;
      y.get(s)[at[s]++] = g.sparse(i, idx.get(s), val.get(s), off);
      if (factor != null) {
        int[] ix = idx.get(s);
        double[] vx = val.get(s);
        for (int p = off; p < off + k; p++) vx[p] *= factor[ix[p]];
      }
    }
    DataBlock[] out = new DataBlock[rows.length];
    for (int s = 0; s < rows.length; s++) {
      out[s] = new CsrBlock(rows[s], g.d, indptr.get(s), idx.get(s), val.get(s), y.get(s));
    }
    return out;
  }
}
