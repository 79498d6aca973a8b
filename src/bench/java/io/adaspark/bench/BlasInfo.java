package io.adaspark.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Which BLAS each side of the benchmark used: {@code dev.ludovic.netlib.blas.BLAS.getInstance()}'s
 * class on the driver and on every executor (one task per default-parallelism slot), and the
 * thread count a native OpenBLAS was given. Both sides use whatever the JVM has: MLlib's dense
 * operations (its MLP, L-BFGS, {@code runMiniBatchSGD}'s dense axpy) and adaspark's MLP gradient
 * ({@code dgemm}); adaspark's fixed-order first-layer and logistic kernels are plain Java either way.
 * A native BLAS ({@code JNIBLAS}) is used when one is installed (e.g. {@code libopenblas0-pthread};
 * the bench installs nothing and forces nothing), as a real MLlib user's job would.
 */
final class BlasInfo {
  private BlasInfo() {}

  static Map<String, Object> describe(JavaSparkContext jsc) {
    Map<String, Object> m = new LinkedHashMap<>();
    String driver = dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
    m.put("driver", driver);
    m.put("configuration", driver.endsWith("JNIBLAS") ? "native BLAS" : "Java BLAS");
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < Math.max(1, jsc.defaultParallelism()); i++) slots.add(i);
    List<String> names = jsc.parallelize(slots, slots.size())
        .map(i -> dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName()).collect();
    m.put("executors", new ArrayList<>(new TreeSet<>(names)));
    m.put("openblas_num_threads", System.getenv("OPENBLAS_NUM_THREADS"));
    return m;
  }
}
