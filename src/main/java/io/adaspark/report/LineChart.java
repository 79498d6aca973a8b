package io.adaspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart line charts, rendered headless to PNG: the one place the figures' look is set (size,
 * palette, fonts, log axes, line and band styles). Public so that the bench ({@code io.adaspark.bench},
 * its own jar) draws its scaling plots with the same code as the report; it depends only on
 * XChart, never on the bench.
 */
public final class LineChart {
  private LineChart() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Tableau-10: one colour per optimizer, the same in every figure. */
  private static final Color[] PALETTE = {
      new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
      new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
      new Color(188, 189, 34), new Color(23, 190, 207),
      // then darker / distinct hues, so that up to 20 optimizers keep their own colour
      new Color(0, 0, 0), new Color(0, 0, 128), new Color(128, 0, 0), new Color(0, 100, 0),
      new Color(255, 215, 0), new Color(0, 128, 128), new Color(255, 0, 255), new Color(128, 128, 0),
      new Color(250, 128, 114), new Color(75, 0, 130)};

  /** The {@code i}-th colour of the palette (cyclic), so that a series keeps its colour in every figure. */
  public static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** An empty 960 × 600 chart in the common style; {@code logX} / {@code logY} make that axis logarithmic. */
  public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    XYChart c = new XYChartBuilder().width(960).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    org.knowm.xchart.style.XYStyler s = c.getStyler();
    c.getStyler().setXAxisLogarithmic(logX);
    c.getStyler().setYAxisLogarithmic(logY);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setPlotBorderColor(new Color(160, 160, 160));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendBorderColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setAntiAlias(true);
    c.getStyler().setMarkerSize(7);
    return c;
  }

  /**
   * A median line with a translucent min–max band (as a polygon) over the same x values.
   * Points with a non-finite value, or a non-positive one on a log axis, are left out.
   */
  public static void band(XYChart c, String name, Color color, double[] x, double[] med, double[] lo, double[] hi,
                   boolean dashed, boolean logY) {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (ok(x[i], c.getStyler().isXAxisLogarithmic()) && ok(med[i], logY) && ok(lo[i], logY) && ok(hi[i], logY)) {
        pts.add(new double[] {x[i], med[i], lo[i], hi[i]});
      }
    }
    if (pts.isEmpty()) return;
    int n = pts.size();
    boolean spread = false;
    for (double[] p : pts) spread |= p[3] > p[2];
    if (spread) {
      double[] px = new double[2 * n];
      double[] py = new double[2 * n];
      for (int i = 0; i < n; i++) {
        px[i] = pts.get(i)[0];
        py[i] = pts.get(i)[2];
        px[2 * n - 1 - i] = pts.get(i)[0];
        py[2 * n - 1 - i] = pts.get(i)[3];
      }
      XYSeries b = c.addSeries(name + " (min–max)", px, py);
      b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      b.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
      b.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
      b.setMarker(SeriesMarkers.NONE);
      b.setShowInLegend(false);
    }
    double[] lx = new double[n];
    double[] ly = new double[n];
    for (int i = 0; i < n; i++) {
      lx[i] = pts.get(i)[0];
      ly[i] = pts.get(i)[1];
    }
    line(c, name, color, lx, ly, dashed);
  }

  /**
   * A line over (x, y): solid 2 px or dashed, circle markers up to 40 points (none beyond, where
   * they would hide the line). Returns the series for the caller's further styling.
   */
  public static XYSeries line(XYChart c, String name, Color color, double[] x, double[] y, boolean dashed) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(color);
    s.setMarkerColor(color);
    s.setMarker(x.length <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
    return s;
  }

  /** A value that can be drawn: finite, and positive on a log axis. */
  public static boolean ok(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  /** The chart as PNG bytes. */
  public static byte[] png(XYChart c) throws IOException {
    return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
  }

  /** True when the chart has at least one series (XChart cannot draw an empty chart). */
  public static boolean hasData(XYChart c) {
    return !c.getSeriesMap().isEmpty();
  }
}
