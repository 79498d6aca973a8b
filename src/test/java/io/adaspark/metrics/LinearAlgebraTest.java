package io.adaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The BLAS / LAPACK record of the manifest and the benchmark. */
class LinearAlgebraTest {
  @Test
  void onlyNetlibsJniClassesAreNative() {
    assertTrue(LinearAlgebra.nativeBlas("dev.ludovic.netlib.blas.JNIBLAS"));
    assertFalse(LinearAlgebra.nativeBlas("dev.ludovic.netlib.blas.VectorBLAS"));
    assertFalse(LinearAlgebra.nativeBlas("dev.ludovic.netlib.blas.Java11BLAS"));
  }

  @Test
  void recordsTheClassesNetlibChoseInThisJvm() {
    ObjectNode n = new ObjectMapper().createObjectNode();
    LinearAlgebra.describe(n);
    // Without a native library, netlib's choice depends on the JVM: VectorBLAS with the incubating
    // vector module (surefire adds it), Java11BLAS without; LAPACK is F2jLAPACK.
    boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    String blas = n.get("blas").asText();
    assertEquals(n.get("native_blas").asBoolean() ? "dev.ludovic.netlib.blas.JNIBLAS"
        : vector ? "dev.ludovic.netlib.blas.VectorBLAS" : "dev.ludovic.netlib.blas.Java11BLAS", blas);
    assertTrue(java.util.Set.of("dev.ludovic.netlib.lapack.JNILAPACK", "dev.ludovic.netlib.lapack.F2jLAPACK")
        .contains(n.get("lapack").asText()), n.toString());
    assertEquals("driver", n.get("on").asText());
    assertEquals(4, n.size());
  }
}
