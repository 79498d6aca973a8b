package io.adaspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's optimizer names: structural options split optimizers, numeric ones do not. */
class VariantsTest {
  static final String SGD = "{\"dampening\":0.0,\"lr\":%s,\"momentum\":%s,\"nesterov\":%s,\"type\":\"sgd\",\"weight_decay\":0.0}";
  static final String ADAM = "{\"amsgrad\":%s,\"betas\":[0.9,0.999],\"eps\":%s,\"lr\":%s,\"type\":\"adam\"%s}";

  @Test
  void momentumNesterovAmsgradAndSchedulesAreOptimizersLrAndEpsAreNot() {
    String sgd1 = SGD.formatted("0.1", "0.0", "false");
    String sgd2 = SGD.formatted("1.0", "0.0", "false");
    String mom = SGD.formatted("0.1", "0.9", "false");
    String mom2 = SGD.formatted("0.1", "0.5", "false");
    String nes = SGD.formatted("0.1", "0.9", "true");
    String adam = ADAM.formatted("false", "1.0E-8", "0.01", "");
    String adamEps = ADAM.formatted("false", "1.0E-6", "0.1", "");
    String ams = ADAM.formatted("true", "1.0E-8", "0.01", "");
    String cos = ADAM.formatted("false", "1.0E-8", "0.01", ",\"schedule\":{\"T_max\":40,\"type\":\"cosine\"}");
    Map<String, String> n = Variants.names(List.of(new String[] {"sgd", sgd1}, new String[] {"sgd", sgd2},
        new String[] {"sgd", mom}, new String[] {"sgd", mom2}, new String[] {"sgd", nes},
        new String[] {"adam", adam}, new String[] {"adam", adamEps}, new String[] {"adam", ams},
        new String[] {"adam", cos}));
    assertEquals("sgd", n.get(sgd1));
    assertEquals("sgd", n.get(sgd2));
    assertEquals("sgd+momentum", n.get(mom));
    assertEquals("sgd+momentum", n.get(mom2));
    assertEquals("sgd+momentum+nesterov", n.get(nes));
    assertEquals("adam", n.get(adam));
    assertEquals("adam", n.get(adamEps));
    assertEquals("adam+amsgrad", n.get(ams));
    assertEquals("adam+schedule=cosine", n.get(cos));
    // Alone, a type keeps its plain name whatever its options.
    assertEquals("sgd", Variants.names(List.<String[]>of(new String[] {"sgd", nes})).get(nes));
  }
}
