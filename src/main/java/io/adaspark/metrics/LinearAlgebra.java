package io.adaspark.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which BLAS and LAPACK MLlib uses in this JVM, for the manifest and the benchmark: the classes
 * {@code dev.ludovic.netlib.blas.BLAS.getInstance()} and {@code dev.ludovic.netlib.lapack.LAPACK.getInstance()}
 * chose — {@code JNIBLAS} / {@code JNILAPACK} when a native library (e.g. OpenBLAS) was found,
 * else {@code VectorBLAS} (Java with {@code jdk.incubator.vector}) or {@code Java11BLAS}, and
 * {@code F2jLAPACK}.
 *
 * <p>It matters for MLlib's dense operations (the baselines of the benchmark, {@code ConvexOptimum}'s
 * L-BFGS fit, the MLP's layers), not for adaspark's own fixed-order kernels, which are plain Java.
 * Recorded on the driver: in local mode that is also the executors' choice; on a cluster each
 * executor chooses for itself, from its own machine's libraries.
 */
public final class LinearAlgebra {
  private LinearAlgebra() {}

  /** The implementation class of MLlib's BLAS, e.g. {@code dev.ludovic.netlib.blas.VectorBLAS}. */
  public static String blas() {
    return name(() -> dev.ludovic.netlib.blas.BLAS.getInstance());
  }

  /** The implementation class of MLlib's LAPACK, e.g. {@code dev.ludovic.netlib.lapack.F2jLAPACK}. */
  public static String lapack() {
    return name(() -> dev.ludovic.netlib.lapack.LAPACK.getInstance());
  }

  /** Whether the BLAS is a native library's (netlib's JNI binding). */
  public static boolean nativeBlas(String blasClass) {
    return blasClass.substring(blasClass.lastIndexOf('.') + 1).startsWith("JNI");
  }

  /** {@code blas}, {@code lapack} (class names), {@code native_blas} and {@code on} ("driver"). */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    String blas = blas();
    m.put("blas", blas);
    m.put("lapack", lapack());
    m.put("native_blas", nativeBlas(blas));
    m.put("on", "driver");
    return m;
  }

  /** Adds {@link #describe()} to {@code node}. */
  public static void describe(ObjectNode node) {
    describe().forEach((k, v) -> {
      if (v instanceof Boolean b) node.put(k, b);
      else node.put(k, String.valueOf(v));
    });
  }

  private static String name(java.util.function.Supplier<Object> instance) {
    try {
      return instance.get().getClass().getName();
    } catch (RuntimeException | LinkageError e) {
      return "unavailable (" + e.getClass().getSimpleName() + ")";
    }
  }
}
