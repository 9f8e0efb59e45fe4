package dev.fmnist.report;

import dev.fmnist.eval.Bootstrap;
import dev.fmnist.eval.ConfidenceInterval;
import dev.fmnist.eval.ModelComparison;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/** Charts of {@code fmnist compare}. */
public final class ComparisonCharts {
  private ComparisonCharts() {}

  /**
   * Accuracy and macro F1 per model as bars with their bootstrap 95% intervals as whiskers. The
   * value axis is zoomed to the data (the subtitle says where it starts) so differences of a few
   * tenths of a percent stay visible.
   *
   * @param cmp the comparison
   * @param names the models' names, in the comparison's order
   * @return the bar chart
   */
  public static JFreeChart accuracyAndF1(ModelComparison cmp, List<String> names) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Map<String, ConfidenceInterval> ci = new HashMap<>();
    double lo = 1;
    double hi = 0;
    for (int m = 0; m < names.size(); m++) {
      Bootstrap.Intervals i = cmp.intervals().get(m);
      data.addValue(i.accuracy().estimate(), "Accuracy", names.get(m));
      data.addValue(i.macroF1().estimate(), "Macro F1", names.get(m));
      ci.put("Accuracy|" + names.get(m), i.accuracy());
      ci.put("Macro F1|" + names.get(m), i.macroF1());
      lo = Math.min(lo, Math.min(i.accuracy().lower(), i.macroF1().lower()));
      hi = Math.max(hi, Math.max(i.accuracy().upper(), i.macroF1().upper()));
    }
    double axisLow = Math.max(0, Math.floor((lo - 0.03) * 20) / 20);
    double axisHigh = Math.min(1, Math.ceil((hi + 0.01) * 50) / 50);
    NumberAxis y = new NumberAxis("Score on the test set");
    y.setRange(axisLow, Math.max(axisHigh, axisLow + 0.05));
    CategoryAxis x = new CategoryAxis(null);
    x.setCategoryMargin(0.3);
    CategoryPlot plot = new CategoryPlot(data, x, y, new WhiskerBarRenderer(ci));
    JFreeChart chart = new JFreeChart(
        String.format(Locale.ROOT, "Accuracy and macro F1 with bootstrap 95%% intervals (%,d"
            + " resamples, seed %d)", cmp.resamples(), cmp.seed()), ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    chart.getLegend().setPosition(RectangleEdge.TOP);
    TextTitle note = new TextTitle(String.format(Locale.ROOT,
        "The value axis starts at %.2f, not 0.", axisLow), ChartStyle.SMALL);
    note.setPaint(new Color(0x555555));
    note.setPosition(RectangleEdge.BOTTOM);
    chart.addSubtitle(note);
    plot.setDomainGridlinesVisible(false);
    return chart;
  }

  /** Bars with a confidence-interval whisker drawn over each. */
  private static final class WhiskerBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, ConfidenceInterval> intervals;

    WhiskerBarRenderer(Map<String, ConfidenceInterval> intervals) {
      this.intervals = intervals;
      setItemMargin(0.05);
      setShadowVisible(false);
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
        CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset,
        int row, int column, int pass) {
      super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      ConfidenceInterval ci =
          intervals.get(dataset.getRowKey(row) + "|" + dataset.getColumnKey(column));
      if (ci == null || pass != 0) {
        return;
      }
      double barX = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row,
          column);
      double mid = barX + state.getBarWidth() / 2;
      double cap = Math.min(10, state.getBarWidth() / 4);
      RectangleEdge edge = plot.getRangeAxisEdge();
      double yLo = rangeAxis.valueToJava2D(ci.lower(), dataArea, edge);
      double yHi = rangeAxis.valueToJava2D(ci.upper(), dataArea, edge);
      g2.setPaint(new Color(0x222222));
      g2.setStroke(new BasicStroke(1.6f));
      g2.draw(new Line2D.Double(mid, yLo, mid, yHi));
      g2.draw(new Line2D.Double(mid - cap, yLo, mid + cap, yLo));
      g2.draw(new Line2D.Double(mid - cap, yHi, mid + cap, yHi));
    }
  }
}
