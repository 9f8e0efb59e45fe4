package dev.fmnist.report;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Class-by-class heat maps: rows are true classes (first class at the top), columns predicted
 * classes, every cell labelled with its value.
 */
public final class ClassMatrixCharts {
  /** Up to this many classes, every cell is labelled, zeros included; above, zero cells stay blank. */
  static final int LABEL_ZEROS_UP_TO = 20;

  private ClassMatrixCharts() {}

  /**
   * The width in pixels that keeps a {@code classes x classes} matrix readable: 820 up to 23
   * classes, then about 22 pixels per class (a 47-class matrix is 1,334 pixels wide).
   *
   * @param classes the number of classes
   * @return the width in pixels
   */
  public static int width(int classes) {
    return Math.max(820, 300 + 22 * classes);
  }

  /**
   * The height that goes with {@link #width}.
   *
   * @param classes the number of classes
   * @return the height in pixels
   */
  public static int height(int classes) {
    return width(classes) - 60;
  }

  /**
   * Confusion matrix counts, white to dark blue.
   *
   * @param counts rows = true class, columns = predicted class
   * @param names the class names, by label
   * @param title the chart's title
   * @return the heat map
   */
  public static JFreeChart confusionCounts(long[][] counts, List<String> names, String title) {
    double max = 1;
    double[][] v = new double[counts.length][counts.length];
    for (int t = 0; t < counts.length; t++) {
      for (int p = 0; p < counts.length; p++) {
        v[t][p] = counts[t][p];
        max = Math.max(max, counts[t][p]);
      }
    }
    return heatmap(v, names, title, "Count", new ColorScale(0, max, ColorScale.BLUES),
        x -> String.format(Locale.ROOT, "%d", Math.round(x)), null);
  }

  /**
   * Row-normalized confusion matrix (each row sums to 1: recall on the diagonal), in percent.
   *
   * @param rates rows = true class, each row's fractions
   * @param names the class names, by label
   * @param title the chart's title
   * @return the heat map
   */
  public static JFreeChart confusionRates(double[][] rates, List<String> names, String title) {
    double[][] pct = new double[rates.length][rates.length];
    for (int t = 0; t < rates.length; t++) {
      for (int p = 0; p < rates.length; p++) {
        pct[t][p] = 100 * rates[t][p];
      }
    }
    return heatmap(pct, names, title, "% of the true class", new ColorScale(0, 100, ColorScale.BLUES),
        ClassMatrixCharts::percent, null);
  }

  /**
   * A signed difference of two confusion matrices on a diverging scale centred on 0 (orange: more,
   * purple: fewer).
   *
   * @param diff the cell-by-cell difference, rows = true class
   * @param names the class names, by label
   * @param title the chart's title
   * @param note a subtitle, e.g. which models are subtracted
   * @return the heat map
   */
  public static JFreeChart difference(long[][] diff, List<String> names, String title, String note) {
    double bound = 1;
    double[][] v = new double[diff.length][diff.length];
    for (int t = 0; t < diff.length; t++) {
      for (int p = 0; p < diff.length; p++) {
        v[t][p] = diff[t][p];
        bound = Math.max(bound, Math.abs(diff[t][p]));
      }
    }
    return heatmap(v, names, title, "Difference in count",
        new ColorScale(-bound, bound, ColorScale.PURPLE_ORANGE),
        x -> x == 0 ? "0" : String.format(Locale.ROOT, "%+d", Math.round(x)), note);
  }

  private static String percent(double x) {
    if (x == 0) {
      return "0";
    }
    if (x < 0.5) {
      return "<1";
    }
    return String.format(Locale.ROOT, "%.0f", x);
  }

  private static JFreeChart heatmap(double[][] values, List<String> names, String title,
      String scaleLabel, ColorScale scale, DoubleFunction<String> label, String note) {
    int k = values.length;
    double[] xs = new double[k * k];
    double[] ys = new double[k * k];
    double[] zs = new double[k * k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        xs[t * k + p] = p;
        ys[t * k + p] = t;
        zs[t * k + p] = values[t][p];
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("cells", new double[][] {xs, ys, zs});
    String[] symbols = names.toArray(new String[0]);
    SymbolAxis x = new SymbolAxis("Predicted class", symbols);
    x.setVerticalTickLabels(true);
    x.setGridBandsVisible(false);
    x.setRange(-0.5, k - 0.5);
    SymbolAxis y = new SymbolAxis("True class", symbols);
    y.setGridBandsVisible(false);
    y.setInverted(true);
    y.setRange(-0.5, k - 0.5);
    XYBlockRenderer r = new XYBlockRenderer();
    r.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
    ChartStyle.apply(chart); // before the annotations: the theme would repaint them
    plot.setOutlineVisible(false);
    Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, k > 24 ? 8 : k > 12 ? 9 : 12);
    if (k > 24) {
      x.setTickLabelFont(ChartStyle.SMALL);
      y.setTickLabelFont(ChartStyle.SMALL);
    }
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        if (k > LABEL_ZEROS_UP_TO && values[t][p] == 0) {
          continue;
        }
        XYTextAnnotation a = new XYTextAnnotation(label.apply(values[t][p]), p, t);
        a.setFont(cellFont);
        Color bg = scale.colorAt(values[t][p]);
        a.setPaint(values[t][p] == 0 ? new Color(0x999999) : ColorScale.textOn(bg));
        plot.addAnnotation(a);
      }
    }
    if (note != null) {
      TextTitle sub = new TextTitle(note, ChartStyle.SMALL);
      sub.setPaint(ChartStyle.TEXT);
      chart.addSubtitle(sub);
    }
    NumberAxis scaleAxis = new NumberAxis(scaleLabel);
    scaleAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
    scaleAxis.setTickLabelFont(ChartStyle.SMALL);
    scaleAxis.setLabelFont(ChartStyle.SMALL);
    PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setStripWidth(14);
    legend.setAxisOffset(4);
    legend.setMargin(new RectangleInsets(40, 12, 90, 4));
    legend.setSubdivisionCount(128);
    chart.addSubtitle(legend);
    return chart;
  }
}
