package dev.fmnist.report;

import dev.fmnist.data.ImageSet;
import dev.fmnist.data.PixelStatistics;
import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A bar chart of how many pixels (of RGB images: how many channel values) have each value 0-255, on
 * a logarithmic count axis.
 */
public final class PixelHistogramChart {
  private static final double LOG_BASE = 10;
  private static final Color BAR = new Color(0x3b, 0x6e, 0xa5);
  private static final Color GRID = new Color(0xcc, 0xcc, 0xcc);

  private PixelHistogramChart() {}

  /**
   * The chart of {@code stats}' histogram, its mean, deviation and median beneath the title.
   *
   * @param title the chart's title
   * @param stats the pixel statistics
   * @param channels the images' channels: 1 (a value per pixel) or 3 (red, green and blue values
   *     counted alike)
   * @return the chart
   * @throws IllegalArgumentException when {@code channels} is neither 1 nor 3
   */
  public static JFreeChart create(String title, PixelStatistics stats, int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, found " + channels);
    }
    boolean gray = channels == 1;
    String counted = gray ? "pixels" : "channel values";
    long[] histogram = stats.histogram();
    XYSeries series = new XYSeries("pixels");
    long smallest = Long.MAX_VALUE;
    long largest = 1;
    for (int v = 0; v < histogram.length; v++) {
      if (histogram[v] > 0) {
        series.add(v, histogram[v]);
        smallest = Math.min(smallest, histogram[v]);
        largest = Math.max(largest, histogram[v]);
      }
    }
    // whole decades around the counts, so the smallest bars keep a visible height
    double floor = Math.pow(LOG_BASE, Math.floor(Math.log10(Math.min(smallest, largest))));
    double ceiling = Math.pow(LOG_BASE, Math.ceil(Math.log10(largest * 1.01)));
    NumberAxis valueAxis = new NumberAxis(gray ? "pixel value (0 = black, 255 = white)"
        : "channel value (red, green and blue, 0-255)");
    valueAxis.setRange(-1, ImageSet.MAX_PIXEL + 1);
    LogAxis countAxis = new LogAxis("number of " + counted + " (log scale)");
    countAxis.setBase(LOG_BASE);
    countAxis.setSmallestValue(floor);
    countAxis.setRange(floor, ceiling);
    countAxis.setMinorTickMarksVisible(true);
    countAxis.setMinorTickCount((int) LOG_BASE - 1);
    countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    countAxis.setNumberFormatOverride(
        new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)));

    XYBarRenderer renderer = new XYBarRenderer(0.1);
    renderer.setBase(floor);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, BAR);

    XYPlot plot = new XYPlot(new XYSeriesCollection(series), valueAxis, countAxis, renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlinePaint(GRID);

    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(
        new TextTitle(
            String.format(
                Locale.ROOT,
                "%,d %s: mean %.2f, standard deviation %.2f, median %s",
                stats.pixelCount(),
                counted,
                stats.mean(),
                stats.standardDeviation(),
                formatMedian(stats.median())),
            ChartStyle.LABEL));
    return chart;
  }

  /**
   * A median of whole pixel values is a whole number or halfway between two.
   *
   * @param median the median
   * @return the median without decimals when whole, else with one
   */
  public static String formatMedian(double median) {
    return median == Math.rint(median)
        ? String.valueOf((long) median)
        : String.format(Locale.ROOT, "%.1f", median);
  }
}
