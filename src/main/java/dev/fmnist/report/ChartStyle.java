package dev.fmnist.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.RectangleInsets;

/** The look shared by every report chart: white background, light grid, one palette, sans fonts. */
public final class ChartStyle {
  /** Colour-blind-safe categorical palette (Okabe-Ito, minus yellow). */
  public static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0x56B4E9), new Color(0xD55E00), new Color(0x000000)
  };

  static final Color GRID = new Color(0xDDDDDD);
  static final Color TEXT = new Color(0x222222);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  /** The most code points {@link #fitted} measures (a few lines of text at any font size). */
  private static final int LONGEST_MEASURED = 4096;
  private static final StandardChartTheme THEME = theme();

  private ChartStyle() {}

  private static StandardChartTheme theme() {
    StandardChartTheme t = new StandardChartTheme("fmnist");
    t.setExtraLargeFont(TITLE);
    t.setLargeFont(LABEL);
    t.setRegularFont(TICK);
    t.setSmallFont(SMALL);
    t.setTitlePaint(TEXT);
    t.setSubtitlePaint(TEXT);
    t.setAxisLabelPaint(TEXT);
    t.setTickLabelPaint(TEXT);
    t.setLegendItemPaint(TEXT);
    t.setChartBackgroundPaint(Color.WHITE);
    t.setPlotBackgroundPaint(Color.WHITE);
    t.setLegendBackgroundPaint(Color.WHITE);
    t.setPlotOutlinePaint(new Color(0xAAAAAA));
    t.setDomainGridlinePaint(GRID);
    t.setRangeGridlinePaint(GRID);
    t.setAxisOffset(RectangleInsets.ZERO_INSETS);
    t.setBarPainter(new StandardBarPainter());
    t.setXYBarPainter(new StandardXYBarPainter());
    t.setShadowVisible(false);
    return t;
  }

  /**
   * A picture drawn directly rather than charted: a white {@code width x height} canvas with
   * antialiased text and {@code title} in the title font at {@code (12, titleBaseline)}; {@code
   * rest} draws everything else (the text colour and title font still set).
   */
  static BufferedImage picture(int width, int height, String title, int titleBaseline,
      Consumer<Graphics2D> rest) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(TEXT);
      g.setFont(TITLE);
      g.drawString(title, 12, titleBaseline);
      rest.accept(g);
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * {@code s} as drawn in at most {@code maxWidth} pixels: whole when it fits, else its longest
   * prefix that fits less one character (at least one), followed by an ellipsis. Takes a
   * logarithmic number of measurements of at most 4,096 code points, so a name of a million
   * characters costs no more than a short one.
   */
  static String fitted(FontMetrics fm, String s, int maxWidth) {
    int n = s.codePointCount(0, s.length());
    if (n <= 1 || (n <= LONGEST_MEASURED && fm.stringWidth(s) <= maxWidth)) {
      return s;
    }
    // only the first LONGEST_MEASURED code points are measured: a label is never drawn that wide
    int lo = 1;
    int hi = Math.min(n, LONGEST_MEASURED);
    while (lo < hi) { // the longest prefix of at least one code point that fits (or one)
      int mid = (lo + hi + 1) >>> 1;
      if (fm.stringWidth(prefix(s, mid)) <= maxWidth) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return prefix(s, Math.max(1, lo - 1)) + "\u2026";
  }

  private static String prefix(String s, int codePoints) {
    return s.substring(0, s.offsetByCodePoints(0, codePoints));
  }

  /** Applies the theme and the palette to a chart built by this package. */
  static JFreeChart apply(JFreeChart chart) {
    THEME.apply(chart);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(8, 8, 8, 12));
    Plot plot = chart.getPlot();
    if (plot instanceof CategoryPlot cp) {
      cp.setRangeGridlineStroke(new BasicStroke(1f));
      if (cp.getRenderer() instanceof BarRenderer br) {
        br.setShadowVisible(false);
        br.setDrawBarOutline(false);
        for (int i = 0; i < PALETTE.length; i++) {
          br.setSeriesPaint(i, PALETTE[i]);
        }
      }
    } else if (plot instanceof XYPlot xp) {
      xp.setDomainGridlineStroke(new BasicStroke(1f));
      xp.setRangeGridlineStroke(new BasicStroke(1f));
    }
    return chart;
  }

  /** Palette colour {@code i} (cycling). */
  static Paint color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }
}
