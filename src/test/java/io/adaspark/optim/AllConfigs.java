package io.adaspark.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** One job-file JSON per optimizer and per state-changing option, with its state size per parameter. */
final class AllConfigs {
  private AllConfigs() {}

  /** JSON -> expected stateSizePerParam. */
  static Map<String, Integer> jsonWithStateSize() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("{\"type\":\"sgd\",\"lr\":0.05}", 0);
    m.put("{\"type\":\"sgd\",\"lr\":0.05,\"momentum\":0.9,\"dampening\":0.3,\"weight_decay\":0.01}", 1);
    m.put("{\"type\":\"sgd\",\"lr\":0.05,\"momentum\":0.9,\"nesterov\":true}", 1);
    m.put("{\"type\":\"adagrad\",\"lr\":0.1,\"lr_decay\":0.01,\"initial_accumulator_value\":0.1}", 1);
    m.put("{\"type\":\"rmsprop\"}", 1);
    m.put("{\"type\":\"rmsprop\",\"centered\":true}", 2);
    m.put("{\"type\":\"rmsprop\",\"centered\":true,\"momentum\":0.5,\"weight_decay\":0.01}", 3);
    m.put("{\"type\":\"adadelta\",\"weight_decay\":0.01}", 2);
    m.put("{\"type\":\"adam\",\"lr\":0.01}", 2);
    m.put("{\"type\":\"adam\",\"lr\":0.01,\"amsgrad\":true,\"weight_decay\":0.01}", 3);
    m.put("{\"type\":\"adam\",\"lr\":0.01,\"bias_correction\":false}", 2);
    m.put("{\"type\":\"adamw\",\"lr\":0.01}", 2);
    m.put("{\"type\":\"adamw\",\"lr\":0.01,\"amsgrad\":true}", 3);
    m.put("{\"type\":\"adamax\",\"lr\":0.01}", 2);
    m.put("{\"type\":\"adamax\",\"lr\":0.01,\"eps\":0}", 2);
    m.put("{\"type\":\"nadam\",\"lr\":0.01,\"weight_decay\":0.01}", 2);
    m.put("{\"type\":\"nadam\",\"lr\":0.01,\"variant\":\"simple\"}", 2);
    m.put("{\"type\":\"nadam\",\"lr\":0.01,\"weight_decay\":0.1,\"decoupled_weight_decay\":true}", 2);
    m.put("{\"type\":\"radam\",\"lr\":0.01,\"weight_decay\":0.01}", 2);
    m.put("{\"type\":\"radam\",\"lr\":0.01,\"weight_decay\":0.1,\"decoupled_weight_decay\":true}", 2);
    m.put("{\"type\":\"lion\",\"lr\":0.01}", 1);
    m.put("{\"type\":\"lion\",\"lr\":0.01,\"betas\":[0.95,0.98],\"weight_decay\":0}", 1);
    m.put("{\"type\":\"lamb\",\"lr\":0.01,\"weight_decay\":0.01,\"eps_root\":1e-4}", 2);
    m.put("{\"type\":\"lars\",\"lr\":0.5,\"weight_decay\":0.01,\"eps\":1e-3}", 1);
    m.put("{\"type\":\"lars\",\"lr\":0.5,\"nesterov\":true}", 1);
    m.put("{\"type\":\"adafactor\",\"lr\":0.1,\"weight_decay\":0.01}", 1);
    m.put("{\"type\":\"adafactor\",\"eps\":[1e-30,0.001],\"d\":2,\"beta2_decay\":-0.5}", 1);
    m.put("{\"type\":\"schedulefree_sgd\",\"lr\":0.05,\"warmup_steps\":3,\"weight_decay\":0.01}", 1);
    m.put("{\"type\":\"schedulefree_adamw\",\"lr\":0.01,\"warmup_steps\":3,\"weight_decay\":0.01}", 2);
    m.put("{\"type\":\"prodigy\",\"weight_decay\":0.01,\"d0\":1e-4}", 4);
    m.put("{\"type\":\"prodigy\",\"weight_decay\":0.01,\"decouple\":false,\"use_bias_correction\":true,"
        + "\"safeguard_warmup\":true,\"growth_rate\":2,\"beta3\":0.9}", 4);
    m.put("{\"type\":\"adan\",\"lr\":0.01,\"weight_decay\":0.02}", 4);
    m.put("{\"type\":\"adan\",\"lr\":0.01,\"weight_decay\":0.02,\"no_prox\":true,\"betas\":[0.9,0.9,0.999]}", 4);
    return m;
  }

  static OptimizerConfig parse(String json) {
    try {
      return StrictJson.MAPPER.readValue(json, OptimizerConfig.class);
    } catch (Exception e) {
      throw new AssertionError(json + ": " + e, e);
    }
  }
}
