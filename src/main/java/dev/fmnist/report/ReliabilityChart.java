package dev.fmnist.report;

import dev.fmnist.eval.Calibration;
import dev.fmnist.eval.ReliabilityBin;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * A reliability diagram: accuracy per confidence bin (bars) and the bin's mean confidence (a
 * line across the bar) against the diagonal of perfect calibration, above a histogram of how many
 * images fall in each bin. A bar reaching above its line means the model was underconfident there.
 */
public final class ReliabilityChart {
  private ReliabilityChart() {}

  /**
   * The chart for {@code calibration}.
   *
   * @param calibration the bins
   * @param title the chart's title
   * @return the reliability diagram
   */
  public static JFreeChart create(Calibration calibration, String title) {
    XYIntervalSeries acc = new XYIntervalSeries("Accuracy in bin");
    XYIntervalSeries conf = new XYIntervalSeries("Mean confidence in bin");
    XYIntervalSeries count = new XYIntervalSeries("Images");
    long total = 0;
    for (ReliabilityBin b : calibration.bins()) {
      total += b.count();
    }
    for (ReliabilityBin b : calibration.bins()) {
      double mid = (b.lower() + b.upper()) / 2;
      if (b.count() > 0) {
        acc.add(mid, b.lower(), b.upper(), b.accuracy(), 0, b.accuracy());
        double c = b.meanConfidence();
        conf.add(mid, b.lower(), b.upper(), c, c - 0.004, c + 0.004);
      }
      count.add(mid, b.lower(), b.upper(), 100.0 * b.count() / Math.max(1, total), 0,
          100.0 * b.count() / Math.max(1, total));
    }
    XYIntervalSeriesCollection top = new XYIntervalSeriesCollection();
    top.addSeries(acc);
    top.addSeries(conf);
    XYBarRenderer topRenderer = outlinedBars();
    topRenderer.setUseYInterval(true);
    XYPlot accPlot = new XYPlot(top, null, axis("Accuracy", 1, 0.2), topRenderer);
    accPlot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // confidence lines over the bars
    XYLineAnnotation diagonal = new XYLineAnnotation(0, 0, 1, 1,
        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f), new Color(0x555555));
    diagonal.setToolTipText("perfect calibration");
    accPlot.addAnnotation(diagonal);

    XYIntervalSeriesCollection bottom = new XYIntervalSeriesCollection();
    bottom.addSeries(count);
    XYBarRenderer countRenderer = outlinedBars();
    XYPlot countPlot = new XYPlot(bottom, null, axis("% of images", 100, 25), countRenderer);

    CombinedDomainXYPlot plot =
        new CombinedDomainXYPlot(axis("Confidence (probability of the predicted class)", 1, 0.1));
    plot.setGap(12);
    plot.add(accPlot, 3);
    plot.add(countPlot, 1);
    String fullTitle = String.format(Locale.ROOT, "%s (ECE %.4f, %d bins)", title,
        calibration.expectedCalibrationError(), calibration.bins().size());
    JFreeChart chart = new JFreeChart(fullTitle, ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart); // first: the theme resets series paints
    topRenderer.setSeriesPaint(0, ChartStyle.PALETTE[0]);
    topRenderer.setSeriesOutlinePaint(0, Color.WHITE);
    topRenderer.setSeriesPaint(1, new Color(0xD55E00));
    topRenderer.setSeriesOutlinePaint(1, new Color(0xD55E00));
    countRenderer.setSeriesPaint(0, new Color(0x999999));
    countRenderer.setSeriesOutlinePaint(0, Color.WHITE);
    chart.getLegend().setPosition(RectangleEdge.TOP);
    return chart;
  }

  /** An axis from 0 to {@code max} with a tick every {@code tick}. */
  private static NumberAxis axis(String label, double max, double tick) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(0, max);
    axis.setTickUnit(new NumberTickUnit(tick));
    return axis;
  }

  /** A bar renderer that outlines its bars and draws no shadow. */
  private static XYBarRenderer outlinedBars() {
    XYBarRenderer r = new XYBarRenderer();
    r.setShadowVisible(false);
    r.setDrawBarOutline(true);
    return r;
  }
}
