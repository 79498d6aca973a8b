package io.adaspark.config;

import io.adaspark.check.Checks;
import io.adaspark.check.InvalidValueException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.adaspark.train.RungMetric;
import java.io.Serializable;

/**
 * The job file's top-level {@code scheduler}: a multi-fidelity sweep that stops configurations
 * early at rungs (steps {@code min_steps·eta^r}), ranking them on {@code metric} (the median
 * over a configuration's seeds). Registered by type name: {@code successive_halving} (one
 * bracket over every configuration, the best ⌈live/eta⌉ continue at each rung) or
 * {@code hyperband} (Li et al. 2018's brackets). Absent: every run trains to the end.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SchedulerSpec.SuccessiveHalving.class, name = "successive_halving"),
    @JsonSubTypes.Type(value = SchedulerSpec.Hyperband.class, name = "hyperband"),
})
public interface SchedulerSpec extends Serializable {
  /** The reduction factor η (≥ 2): a rung keeps about 1/η of its configurations. */
  int eta();

  /** The first rung's step (the smallest budget r of Li et al., in steps). */
  long minSteps();

  /** What a rung ranks on. */
  RungMetric metric();

  /** The registered type name. */
  String typeName();

  /**
   * The rung steps of a run of {@code steps}: min_steps·eta^r for r = 0, 1, … while below
   * {@code steps} (the same set for both types: Hyperband's brackets start at different rungs).
   */
  default java.util.List<Long> rungSteps(long steps) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (long t = minSteps(); t < steps; t = t > steps / eta() ? steps : t * eta()) out.add(t);
    return out;
  }

  /**
   * Successive halving (Jamieson &amp; Talwalkar 2016; Li et al. 2018, Algorithm 1's inner loop):
   * rungs at {@code min_steps·eta^r} below {@code training.steps}; at each, the live
   * configurations are ranked and the best ⌈live/eta⌉ continue. JSON type
   * {@code successive_halving}; {@code min_steps} required, {@code eta} default 3, {@code metric}
   * default {@code train_loss}.
   */
  @JsonTypeName("successive_halving")
  record SuccessiveHalving(int eta, long minSteps, RungMetric metric) implements SchedulerSpec {
    public SuccessiveHalving {
      check("successive_halving", eta, minSteps);
    }

    /** JSON factory. */
    @JsonCreator
    public static SuccessiveHalving fromJson(@JsonProperty("eta") Integer eta,
                                             @JsonProperty("min_steps") Long minSteps,
                                             @JsonProperty("metric") String metric) {
      return new SuccessiveHalving(eta == null ? 3 : eta, required("successive_halving", minSteps),
          parseMetric("successive_halving", metric));
    }

    @Override
    public String typeName() {
      return "successive_halving";
    }
  }

  /**
   * Hyperband (Li et al. 2018, Algorithm 1): with R = {@code training.steps}/{@code min_steps}
   * and s_max = ⌊log_eta R⌋, brackets s = s_max … 0; bracket s takes the first
   * n = ⌈(s_max + 1)/(s + 1)·eta^s⌉ configurations of the sweep and runs successive halving on
   * them from step {@code min_steps·eta^(s_max − s)}, keeping ⌊n·eta^−(i+1)⌋ after its rung i.
   * All brackets share the configurations' trajectories: a run trains as long as any bracket
   * keeps its configuration. JSON type {@code hyperband}; {@code min_steps} required, {@code eta}
   * default 3, {@code metric} default {@code train_loss}.
   */
  @JsonTypeName("hyperband")
  record Hyperband(int eta, long minSteps, RungMetric metric) implements SchedulerSpec {
    public Hyperband {
      check("hyperband", eta, minSteps);
    }

    /** JSON factory. */
    @JsonCreator
    public static Hyperband fromJson(@JsonProperty("eta") Integer eta, @JsonProperty("min_steps") Long minSteps,
                                     @JsonProperty("metric") String metric) {
      return new Hyperband(eta == null ? 3 : eta, required("hyperband", minSteps), parseMetric("hyperband", metric));
    }

    @Override
    public String typeName() {
      return "hyperband";
    }
  }

  private static void check(String owner, int eta, long minSteps) {
    Checks.atLeast(owner, "eta", eta, 2);
    Checks.atLeast(owner, "min_steps", minSteps, 1);
  }

  private static long required(String owner, Long minSteps) {
    if (minSteps == null) throw new InvalidValueException(owner, "min_steps", "given (an integer >= 1)", "nothing");
    return minSteps;
  }

  private static RungMetric parseMetric(String owner, String name) {
    if (name == null) return RungMetric.TRAIN_LOSS;
    RungMetric m = RungMetric.byColumn(name);
    if (m != null) return m;
    String more = RungMetric.NEEDS_VALIDATION.contains(name)
        ? " (" + name + " needs a validation split, which this job cannot have)" : "";
    throw new InvalidValueException(owner, "metric", "one of " + RungMetric.names() + more, "\"" + name + "\"");
  }
}
