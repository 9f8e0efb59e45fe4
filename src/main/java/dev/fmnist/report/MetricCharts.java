package dev.fmnist.report;

import dev.fmnist.eval.ClassMetrics;
import dev.fmnist.eval.ClassificationReport;
import dev.fmnist.savedmodel.LearningCurves;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Per-class metric bars and training curves. */
public final class MetricCharts {
  private MetricCharts() {}

  /**
   * Precision, recall and F1 per class as grouped bars; the score axis starts below the lowest
   * bar (a note says where) so that differences between good classes stay visible.
   *
   * @param report the metrics
   * @param names the class names, by label
   * @param title the chart's title
   * @return the bar chart
   */
  public static JFreeChart perClass(ClassificationReport report, List<String> names, String title) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    double min = 1;
    for (int c = 0; c < names.size(); c++) {
      ClassMetrics m = report.of(c);
      data.addValue(m.precision(), "Precision", names.get(c));
      data.addValue(m.recall(), "Recall", names.get(c));
      data.addValue(m.f1(), "F1", names.get(c));
      min = Math.min(min, Math.min(m.f1(), Math.min(m.precision(), m.recall())));
    }
    CategoryAxis x = new CategoryAxis(null);
    x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    x.setCategoryMargin(0.25);
    x.setLowerMargin(0.01);
    x.setUpperMargin(0.01);
    double axisLow = Math.max(0, Math.floor((min - 0.05) * 10) / 10);
    NumberAxis y = new NumberAxis("Score");
    y.setRange(axisLow, 1.0);
    y.setTickUnit(new NumberTickUnit(axisLow >= 0.5 ? 0.05 : 0.1));
    BarRenderer r = new BarRenderer();
    r.setItemMargin(0.02);
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    chart.getLegend().setPosition(RectangleEdge.TOP);
    plot.setDomainGridlinesVisible(false);
    if (axisLow > 0) {
      TextTitle note = new TextTitle(String.format(java.util.Locale.ROOT,
          "The score axis starts at %.1f, not 0, to show the differences.", axisLow),
          ChartStyle.SMALL);
      note.setPaint(new Color(0x555555));
      note.setPosition(RectangleEdge.BOTTOM);
      chart.addSubtitle(note);
    }
    return chart;
  }

  /**
   * Loss and accuracy per epoch, training and validation, stacked with a shared epoch axis.
   * Validation series are left out when the history has none.
   *
   * @param curves the model's history
   * @param title the chart's title
   * @return the chart
   */
  public static JFreeChart learningCurves(LearningCurves curves, String title) {
    NumberAxis epoch = new NumberAxis("Epoch");
    epoch.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    int last = curves.epochs().isEmpty() ? 1 : curves.epochs().get(curves.epochs().size() - 1).epoch();
    epoch.setRange(0.5, Math.max(1, last) + 0.5);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epoch);
    plot.setGap(14);
    plot.add(curvePlot(curves, "Loss", LearningCurves.Epoch::loss, LearningCurves.Epoch::valLoss), 1);
    plot.add(curvePlot(curves, "Accuracy", LearningCurves.Epoch::accuracy,
        LearningCurves.Epoch::valAccuracy), 1);
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    styleCurves(plot);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.TOP);
    TextTitle note = new TextTitle(learningCurvesCaption(curves), ChartStyle.SMALL);
    note.setPaint(new Color(0x555555));
    note.setPosition(RectangleEdge.BOTTOM);
    chart.addSubtitle(note);
    return chart;
  }

  /**
   * The caption under the learning curves: what the training numbers are, and the validation
   * numbers only when the history has some.
   *
   * @param curves the history drawn
   * @return the caption
   */
  public static String learningCurvesCaption(LearningCurves curves) {
    return "Training: mean over the epoch's batches, in training mode." + (curves.hasValidation()
        ? " Validation: measured after the epoch." : " No validation split, so no validation curves.");
  }

  /**
   * The title of the learning-curves chart in the report: training and validation, or training only.
   *
   * @param curves the history drawn
   * @return the chart's title in the report
   */
  public static String learningCurvesTitle(LearningCurves curves) {
    return curves.hasValidation() ? "Training and validation curves" : "Training curves";
  }

  /** The smallest span of a curve's score axis, so one epoch or a flat curve still gets distinct tick labels. */
  static final double MIN_SCORE_SPAN = 0.02;

  private static XYPlot curvePlot(LearningCurves curves, String label,
      ToDoubleFunction<LearningCurves.Epoch> train, ToDoubleFunction<LearningCurves.Epoch> val) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries t = new XYSeries("Training");
    XYSeries v = new XYSeries("Validation");
    for (LearningCurves.Epoch e : curves.epochs()) {
      double tv = train.applyAsDouble(e);
      double vv = val.applyAsDouble(e);
      if (!Double.isNaN(tv)) {
        t.add(e.epoch(), tv);
      }
      if (!Double.isNaN(vv)) {
        v.add(e.epoch(), vv);
      }
    }
    data.addSeries(t);
    if (v.getItemCount() > 0) {
      data.addSeries(v);
    }
    NumberAxis y = new NumberAxis(label);
    y.setAutoRangeIncludesZero(false);
    y.setAutoRangeMinimumSize(MIN_SCORE_SPAN); // a single point would get a zero-width axis, one label repeated
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesVisibleInLegend(0, label.equals("Loss"));
    r.setSeriesVisibleInLegend(1, label.equals("Loss"));
    return new XYPlot(data, null, y, r);
  }

  /** Same colour per series in every subplot; called after the theme, which would reset it. */
  private static void styleCurves(CombinedDomainXYPlot plot) {
    for (XYPlot p : plot.getSubplots()) {
      XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) p.getRenderer();
      for (int s = 0; s < 2; s++) {
        r.setSeriesPaint(s, ChartStyle.color(s));
        r.setSeriesStroke(s, new BasicStroke(2.2f));
        r.setSeriesShape(s, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
      }
      p.setBackgroundPaint(Color.WHITE);
    }
  }
}
