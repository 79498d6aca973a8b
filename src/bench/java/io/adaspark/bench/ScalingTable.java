package io.adaspark.bench;

import io.adaspark.report.LineChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * A scaling table: its points against one variable, each with the load it was measured under;
 * in bench.json ({@link #toMap}) and as a log-x plot drawn by the report's {@link LineChart}. The
 * batch, k and d tables have one median step time a point ({@link Step}); issue 18's scale-p and
 * scale-d tables both sides' rounds ({@link ScaleTables.Point}).
 */
final class ScalingTable<P extends ScalingTable.Point> {
  /** One point: its value of the variable, and its entry in bench.json. */
  interface Point {
    long x();

    Map<String, Object> toMap(String variable);
  }

  /** A point of the batch, k and d tables: the median seconds a step and the load it saw. */
  record Step(long x, double seconds, LoadMonitor.Load load) implements Point {
    @Override
    public Map<String, Object> toMap(String variable) {
      return BenchJson.object(variable, x, "step_s_median", BenchJson.round(seconds), "load", load.toMap());
    }
  }

  /** A curve of the plot: per point, its median and the min and max around it (a band where they differ). */
  record Curve(String name, double[] median, double[] min, double[] max) {
    /** A curve of one value a point (no band). */
    static Curve of(String name, double[] y) {
      return new Curve(name, y, y, y);
    }
  }

  final String name;
  final String title;
  final String variable;
  final String command;
  /** How every point was measured, or null where the tables' common method (bench.md) applies. */
  final String method;
  final List<P> points = new ArrayList<>();

  ScalingTable(String name, String title, String variable, String command, String method) {
    this.name = name;
    this.title = title;
    this.variable = variable;
    this.command = command;
    this.method = method;
  }

  Map<String, Object> toMap() {
    List<Object> pts = new ArrayList<>();
    for (P p : points) pts.add(p.toMap(variable));
    Map<String, Object> m = BenchJson.object("name", name, "title", title, "variable", variable, "command", command);
    if (method != null) m.put("method", method);
    m.put("points", pts);
    return m;
  }

  /** The variable of every point, in order: the plot's x. */
  double[] xs() {
    double[] x = new double[points.size()];
    for (int i = 0; i < x.length; i++) x[i] = points.get(i).x();
    return x;
  }

  /**
   * Writes the plot: x = the variable on a log axis, one curve a colour of the report's palette
   * (its min–max as a band where the points have a spread). Nothing is written for a table
   * without points or without a drawable value.
   */
  void png(Path file, String chartTitle, String yTitle, boolean logY, List<Curve> curves) throws IOException {
    if (points.isEmpty()) return;
    XYChart chart = LineChart.chart(chartTitle.length() > 90 ? chartTitle.substring(0, 90) + "…" : chartTitle,
        variable, yTitle, true, logY);
    double[] x = xs();
    for (int k = 0; k < curves.size(); k++) {
      Curve c = curves.get(k);
      LineChart.band(chart, c.name(), LineChart.color(k), x, c.median(), c.min(), c.max(), false, logY);
    }
    if (LineChart.hasData(chart)) Files.write(file, LineChart.png(chart));
  }
}
