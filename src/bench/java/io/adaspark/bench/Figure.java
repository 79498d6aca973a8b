package io.adaspark.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark row: adaspark's figure, its anchor's, the ratio and the goal.
 *
 * <p>{@code faster} goals ("≥ 2.5× faster") have ratio = anchor / adaspark and are met when
 * ratio ≥ goal; {@code within} goals ("≤ 1.3× the floor") have ratio = adaspark / anchor and are
 * met when ratio ≤ goal.
 */
public final class Figure {
  public enum Kind { FASTER, WITHIN }

  final String row;
  final String title;
  final String adasparkWhat;
  final String anchorWhat;
  final String unit;
  final Kind kind;
  final double goal;
  final String command;
  double adaspark = Double.NaN;
  double anchor = Double.NaN;
  String method = "";
  final Map<String, Object> detail = new LinkedHashMap<>();
  final Map<String, Object> load = new LinkedHashMap<>();
  boolean disturbed;

  Figure(String row, String title, String adasparkWhat, String anchorWhat, String unit, Kind kind,
         double goal, String command) {
    this.row = row;
    this.title = title;
    this.adasparkWhat = adasparkWhat;
    this.anchorWhat = anchorWhat;
    this.unit = unit;
    this.kind = kind;
    this.goal = goal;
    this.command = command;
  }

  double ratio() {
    return ratio(adaspark, anchor);
  }

  private double ratio(double adasparkValue, double anchorValue) {
    return kind == Kind.FASTER ? anchorValue / adasparkValue : adasparkValue / anchorValue;
  }

  /**
   * Sets both figures from rounds that measured the two sides in turn: the round with the
   * median ratio gives them, and every round's ratio goes into the detail
   * ({@code ratio_per_round}). Returns that round's index.
   */
  int fromRounds(double[] adasparkPerRound, double[] anchorPerRound) {
    double[] ratios = new double[adasparkPerRound.length];
    for (int i = 0; i < ratios.length; i++) ratios[i] = ratio(adasparkPerRound[i], anchorPerRound[i]);
    int m = Measure.medianIndex(ratios);
    adaspark = adasparkPerRound[m];
    anchor = anchorPerRound[m];
    detail.put("ratio_per_round", BenchJson.round(ratios));
    return m;
  }

  boolean met() {
    double r = ratio();
    if (!Double.isFinite(r)) return false;
    return kind == Kind.FASTER ? r >= goal : r <= goal;
  }

  String goalText() {
    return kind == Kind.FASTER ? String.format("≥ %.3g× faster", goal) : String.format("≤ %.4g× the anchor", goal);
  }

  /** Records the load seen while measuring one side; a side above the threshold marks it disturbed. */
  void load(String side, Measure.Result<?> r, double threshold) {
    Map<String, Object> m = new LinkedHashMap<>(r.load().toMap());
    m.put("attempts", r.attempts());
    m.put("other_cpu_cores_per_attempt", r.othersPerAttempt());
    m.put("steal_cores_per_attempt", r.stealPerAttempt());
    load.put(side, m);
    if (!(r.load().disturbance() <= threshold)) disturbed = true;
  }

  Map<String, Object> toMap() {
    String definition = kind == Kind.FASTER ? "anchor / adaspark" : "adaspark / anchor";
    return BenchJson.object("row", row, "title", title, "adaspark", adasparkWhat, "adaspark_value",
        BenchJson.round(adaspark), "anchor", anchorWhat, "anchor_value", BenchJson.round(anchor), "unit", unit,
        "ratio", BenchJson.round(ratio()), "ratio_definition", definition, "goal", goalText(), "goal_value", goal,
        "met", met(), "disturbed", disturbed, "method", method, "command", command, "detail", detail, "load", load);
  }
}
