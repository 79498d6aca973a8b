package io.adaspark.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed method, written once for every row and both sides (BENCHMARKS.md, "The fixed
 * method"): W warm-up rounds of each side's own measured action, in turn and discarded; then R
 * paired rounds, each measuring the sides in order (subject, anchor, then any side measured
 * beside them); per side the figure is the median over the rounds of the round's figure, and the
 * ratio is also taken per pair. A measurement whose rounds saw more than the disturbance
 * threshold is repeated ({@link Measure}); every attempt's rounds are kept.
 */
final class PairedRounds {
  /** The statistic, the same on both sides, as bench.json states it once. */
  static final String STATISTIC = "each side's figure is the median over the R paired rounds of its round's "
      + "figure (a mean over the round's steps, iterations or passes where a round has several); min / median / max "
      + "over the rounds per side and of the per-pair ratio";

  private PairedRounds() {}

  /** Per side, its figure in each kept round; every attempt; the kept attempt's load and notes. */
  record Result(List<double[]> perSide, Map<String, List<Double>> notes, List<Map<String, Object>> attempts,
                Measure.Result<?> measured) {
    double[] side(int i) {
      return perSide.get(i);
    }

    /** Per round, side {@code num} ÷ side {@code den}. */
    double[] ratios(int num, int den) {
      double[] a = perSide.get(num);
      double[] b = perSide.get(den);
      double[] r = new double[a.length];
      for (int i = 0; i < r.length; i++) r[i] = a[i] / b[i];
      return r;
    }
  }

  /** Runs {@code warmup} discarded rounds and then {@code rounds} paired rounds of {@code sides}. */
  static Result run(Measure measure, String what, Fixture fixture, List<Side> sides, int warmup, int rounds) {
    if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    for (int w = 0; w < warmup; w++) {
      for (Side s : sides) s.action().once(fixture, new Notes());
    }
    List<Map<String, Object>> attempts = new ArrayList<>();
    Measure.Result<Object[]> m = measure.run(what, () -> {
      List<double[]> per = new ArrayList<>();
      for (int i = 0; i < sides.size(); i++) per.add(new double[rounds]);
      Notes notes = new Notes();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < sides.size(); i++) per.get(i)[r] = sides.get(i).action().once(fixture, notes);
      }
      Map<String, Object> at = new LinkedHashMap<>();
      for (int i = 0; i < sides.size(); i++) at.put(sides.get(i).key(), BenchJson.round(per.get(i)));
      attempts.add(at);
      return new Object[] {per, notes};
    });
    @SuppressWarnings("unchecked")
    List<double[]> per = (List<double[]>) m.value()[0];
    return new Result(per, ((Notes) m.value()[1]).values, attempts, m);
  }
}
