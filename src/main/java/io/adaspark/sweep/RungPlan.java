package io.adaspark.sweep;

import io.adaspark.config.SchedulerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The brackets and rungs of a multi-fidelity sweep, worked out before training from the
 * scheduler, the run length and the number of configurations N (pure arithmetic, no data).
 *
 * <p>{@code successive_halving}: one bracket over all N configurations; rung r at step
 * {@code min_steps·eta^r} for every such step below {@code steps}; after each rung the best
 * ⌈live/eta⌉ configurations continue ({@link Rung#keep} −1).
 *
 * <p>{@code hyperband} (Li et al. 2018, Algorithm 1, with r measured in units of
 * {@code min_steps}): s_max = ⌊log_eta(steps/min_steps)⌋; bracket s = s_max … 0 holds the first
 * n = min(N, ⌈(s_max + 1)·eta^s/(s + 1)⌉) configurations (plan order), starts at step
 * {@code min_steps·eta^(s_max − s)}, and after its rung i (i = 0 … s − 1, at step
 * {@code min_steps·eta^(s_max − s + i)}) keeps ⌊n·eta^−(i+1)⌋ (at least 1). Its last rung is the
 * end of the run. For steps = min_steps·81, eta = 3 this is Li et al.'s Table 1.
 */
public record RungPlan(String type, int eta, long minSteps, long steps, int configurations, List<Bracket> brackets) {

  /** A decision point: after rung {@code index} at {@code step}, {@code keep} configurations continue (−1: ⌈live/eta⌉). */
  public record Rung(int index, long step, int keep) implements java.io.Serializable {}

  /**
   * A successive-halving sweep over the first {@code size} configurations.
   *
   * @param s Li et al.'s bracket index, its number of decision rungs (for successive halving: the rung count)
   * @param nominal Li et al.'s n for the bracket before capping at N (N for successive halving)
   */
  public record Bracket(int s, int nominal, int size, List<Rung> rungs) implements java.io.Serializable {}

  public static RungPlan of(SchedulerSpec spec, long steps, int configurations) {
    int eta = spec.eta();
    List<Long> rungSteps = spec.rungSteps(steps);
    List<Bracket> brackets = new ArrayList<>();
    if (spec instanceof SchedulerSpec.Hyperband) {
      int sMax = 0; // the largest s with min_steps·eta^s <= steps
      for (long t = spec.minSteps(); t <= steps / eta; t *= eta) sMax++;
      for (int s = sMax; s >= 0; s--) {
        long pow = pow(eta, s);
        long n = ceilDiv((long) (sMax + 1) * pow, s + 1);
        int size = (int) Math.min(n, configurations);
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i < s; i++) {
          long step = spec.minSteps() * pow(eta, sMax - s + i);
          int keep = (int) Math.max(1, size / pow(eta, i + 1));
          rungs.add(new Rung(i, step, keep));
        }
        brackets.add(new Bracket(s, (int) Math.min(n, Integer.MAX_VALUE), size, List.copyOf(rungs)));
      }
    } else {
      List<Rung> rungs = new ArrayList<>();
      for (int r = 0; r < rungSteps.size(); r++) rungs.add(new Rung(r, rungSteps.get(r), -1));
      brackets.add(new Bracket(rungs.size(), configurations, configurations, List.copyOf(rungs)));
    }
    return new RungPlan(spec.typeName(), eta, spec.minSteps(), steps, configurations, List.copyOf(brackets));
  }

  /** The distinct decision steps, ascending. */
  public List<Long> rungSteps() {
    return brackets.stream().flatMap(b -> b.rungs().stream()).map(Rung::step).distinct().sorted().toList();
  }

  /** How many configurations continue after a rung with {@code live} ranked configurations. */
  public int keep(Rung rung, int live) {
    int k = rung.keep() < 0 ? (int) ceilDiv(live, eta) : rung.keep();
    return Math.min(k, live);
  }

  static long pow(long base, int e) {
    long p = 1;
    for (int i = 0; i < e; i++) p = Math.multiplyExact(p, base);
    return p;
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
