package io.adaspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's scaling tables: their bench.json entry, and their plots drawn by the report's
 * {@code LineChart} (its 960 × 600 canvas, its palette: Tableau-10 blue (31, 119, 180) first,
 * orange (255, 127, 14) second; a min–max band filled at alpha 50). The plots are read back
 * as pixels.
 */
class ScalingTableTest {
  private static final LoadMonitor.Load LOAD = new LoadMonitor.Load("0.1", "0.2", 0.25, 1.5, List.of(), 0.0);
  private static final int[] BLUE = {31, 119, 180};
  private static final int[] ORANGE = {255, 127, 14};
  /** Blue at alpha 50/255 over white, channel by channel: 255 + (c − 255) · 50 / 255. */
  private static final int[] BLUE_BAND = {211, 228, 240};

  @Test
  void stepTableJsonKeepsItsKeysInOrderAndLeavesOutAMissingMethod() {
    ScalingTable<ScalingTable.Step> t = new ScalingTable<>("batch", "title", "B", "cmd", null);
    t.points.add(new ScalingTable.Step(256, 0.0123456789, LOAD));
    Map<String, Object> m = t.toMap();
    assertEquals(List.of("name", "title", "variable", "command", "points"), List.copyOf(m.keySet()));
    @SuppressWarnings("unchecked")
    Map<String, Object> p = ((List<Map<String, Object>>) m.get("points")).get(0);
    assertEquals(List.of("B", "step_s_median", "load"), List.copyOf(p.keySet()));
    assertEquals(256L, p.get("B"));
    assertEquals(0.0123457, p.get("step_s_median"));
    assertEquals(0.25, ((Map<?, ?>) p.get("load")).get("other_cpu_cores"));

    ScalingTable<ScalingTable.Step> withMethod = new ScalingTable<>("k", "title", "K", "cmd", "how");
    assertEquals(List.of("name", "title", "variable", "command", "method", "points"),
        List.copyOf(withMethod.toMap().keySet()));
    assertEquals("how", withMethod.toMap().get("method"));
  }

  @Test
  void stepTablePlotIsOneBlueLineWithoutABand(@TempDir Path dir) throws Exception {
    ScalingTable<ScalingTable.Step> t = new ScalingTable<>("k", "time per step against K", "K", "cmd", null);
    double[] seconds = {0.01, 0.02, 0.04, 0.08};
    for (int i = 0; i < seconds.length; i++) t.points.add(new ScalingTable.Step(1L << (2 * i), seconds[i], LOAD));
    Path png = dir.resolve("scaling-k.png");
    t.png(png, t.title, "seconds per step (median)", false, List.of(ScalingTable.Curve.of("adaspark", seconds)));
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img);
    assertEquals(960, img.getWidth());
    assertEquals(600, img.getHeight());
    assertTrue(pixels(img, BLUE, 0) > 100, "blue pixels: " + pixels(img, BLUE, 0));
    assertEquals(0, pixels(img, ORANGE, 0));
    // No band: only the line's anti-aliased edges pass through the band's colour (a band fills thousands).
    assertTrue(pixels(img, BLUE_BAND, 2) < 200, "band pixels: " + pixels(img, BLUE_BAND, 2));
  }

  @Test
  void scaleTablePlotHasBothSidesAndTheirMinMaxBands(@TempDir Path dir) throws Exception {
    ScalingTable<ScaleTables.Point> t = new ScalingTable<>("scale-p", "title", "P", "cmd", ScaleTables.METHOD);
    for (int p : new int[] {4, 16, 64}) {
      double[] adaspark = {0.010 * p, 0.020 * p, 0.015 * p};
      double[] anchor = {0.300 * p, 0.500 * p, 0.400 * p};
      t.points.add(new ScaleTables.Point(p, 1000, 100, p, adaspark, anchor, List.of(), LOAD));
    }
    Path png = dir.resolve("scale-p.png");
    ScaleTables.png(t, png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(960, img.getWidth());
    assertTrue(pixels(img, BLUE, 0) > 100, "blue pixels: " + pixels(img, BLUE, 0));
    assertTrue(pixels(img, ORANGE, 0) > 100, "orange pixels: " + pixels(img, ORANGE, 0));
    assertTrue(pixels(img, BLUE_BAND, 2) > 5000, "band pixels: " + pixels(img, BLUE_BAND, 2));
  }

  @Test
  void tableWithoutPointsWritesNoPlot(@TempDir Path dir) throws Exception {
    ScalingTable<ScaleTables.Point> t = new ScalingTable<>("scale-d", "title", "d", "cmd", ScaleTables.METHOD);
    ScaleTables.png(t, dir.resolve("scale-d.png"));
    assertFalse(Files.exists(dir.resolve("scale-d.png")));
  }

  /** Pixels whose every channel is within {@code tolerance} of {@code rgb}. */
  private static int pixels(BufferedImage img, int[] rgb, int tolerance) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int c = img.getRGB(x, y);
        if (Math.abs(((c >> 16) & 0xff) - rgb[0]) <= tolerance && Math.abs(((c >> 8) & 0xff) - rgb[1]) <= tolerance
            && Math.abs((c & 0xff) - rgb[2]) <= tolerance) {
          n++;
        }
      }
    }
    return n;
  }
}
