package dev.fmnist.report;

import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/** The trials table (Markdown and CSV) and chart of a hyperparameter sweep. */
public final class SweepTrials {
  /**
   * One trial's outcome.
   *
   * @param trial number from 1
   * @param values the trial's parameter values as text, in the sweep's key order
   * @param status {@code done}, {@code diverged}, {@code failed} or {@code pending}
   * @param valAccuracy validation accuracy of the chosen epoch (NaN unless done)
   * @param valLoss validation loss of the chosen epoch
   * @param epoch the chosen epoch (the best under early stopping, else the last)
   * @param epochsRun epochs trained
   * @param seconds wall time of the trial's epochs (validation included)
   */
  public record Row(int trial, List<String> values, String status, double valAccuracy, double valLoss, int epoch,
      int epochsRun, double seconds) {
    /**
     * Whether the trial finished with a validation accuracy.
     *
     * @return true for status {@code done} with a finite accuracy
     */
    public boolean done() {
      return "done".equals(status) && Double.isFinite(valAccuracy);
    }
  }

  private SweepTrials() {}

  /**
   * The best trial: highest validation accuracy, then lowest validation loss, then lowest number;
   * -1 when no trial finished.
   *
   * @param rows the trials' rows
   * @return the best trial's number, or -1
   */
  public static int best(List<Row> rows) {
    Row best = null;
    for (Row r : rows) {
      if (!r.done()) {
        continue;
      }
      if (best == null || r.valAccuracy() > best.valAccuracy()
          || (r.valAccuracy() == best.valAccuracy() && r.valLoss() < best.valLoss())) {
        best = r;
      }
    }
    return best == null ? -1 : best.trial();
  }

  /**
   * CSV: trial, every parameter, then the outcome columns.
   *
   * @param keys the parameter names
   * @param rows the trials' rows
   * @return the CSV text
   */
  public static String csv(List<String> keys, List<Row> rows) {
    StringBuilder sb = new StringBuilder("trial");
    keys.forEach(k -> sb.append(',').append(k));
    sb.append(",val_accuracy,val_loss,epoch,epochs_run,seconds,status\n");
    for (Row r : rows) {
      sb.append(r.trial());
      r.values().forEach(v -> sb.append(',').append(v.contains(",") ? '"' + v.replace("\"", "\"\"") + '"' : v));
      sb.append(',').append(num(r.valAccuracy(), "%.4f")).append(',').append(num(r.valLoss(), "%.4f"))
          .append(',').append(r.epoch()).append(',').append(r.epochsRun())
          .append(',').append(num(r.seconds(), "%.1f")).append(',').append(r.status()).append('\n');
    }
    return sb.toString();
  }

  /**
   * A Markdown table, best trial in bold, ranked by nothing: in trial order.
   *
   * @param keys the parameter names
   * @param rows the trials' rows
   * @return the Markdown text
   */
  public static String markdown(List<String> keys, List<Row> rows) {
    int best = best(rows);
    StringBuilder sb = new StringBuilder("| trial |");
    keys.forEach(k -> sb.append(' ').append(k).append(" |"));
    sb.append(" val accuracy | val loss | epoch | epochs run | seconds | status |\n|---:|");
    keys.forEach(k -> sb.append("---|"));
    sb.append("---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      String b = r.trial() == best ? "**" : "";
      sb.append("| ").append(b).append(r.trial()).append(b).append(" |");
      r.values().forEach(v -> sb.append(' ').append(v).append(" |"));
      sb.append(' ').append(b).append(num(r.valAccuracy(), "%.4f")).append(b).append(" | ")
          .append(num(r.valLoss(), "%.4f")).append(" | ").append(r.epoch()).append(" | ").append(r.epochsRun())
          .append(" | ").append(num(r.seconds(), "%.0f")).append(" | ").append(r.status())
          .append(r.trial() == best ? " (best)" : "").append(" |\n");
    }
    return sb.toString();
  }

  /**
   * Validation accuracy per trial as bars, the best one highlighted; labels list the values.
   *
   * @param title the chart's title
   * @param keys the parameter names
   * @param rows the trials' rows
   * @return the bar chart
   */
  public static JFreeChart chart(String title, List<String> keys, List<Row> rows) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    int best = best(rows);
    double min = 1;
    double max = 0;
    List<String> labels = new ArrayList<>();
    for (Row r : rows) {
      String label = r.trial() + ": " + String.join(" ", r.values());
      labels.add(label);
      double v = r.done() ? r.valAccuracy() : 0;
      data.addValue(v, "validation accuracy", label);
      if (r.done()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    CategoryAxis x = new CategoryAxis("trial: " + String.join(" ", keys));
    x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
    x.setTickLabelFont(ChartStyle.SMALL);
    x.setLowerMargin(0.01);
    x.setUpperMargin(0.01);
    NumberAxis y = new NumberAxis("Validation accuracy");
    double low = max > 0 ? Math.max(0, Math.floor((min - 0.02) * 50) / 50) : 0;
    y.setRange(low, max > 0 ? Math.min(1, max + 0.01) : 1);
    final int bestIndex = best;
    BarRenderer r = new BarRenderer() {
      @Override
      public Paint getItemPaint(int row, int column) {
        return rows.get(column).trial() == bestIndex ? ChartStyle.PALETTE[1] : ChartStyle.PALETTE[0];
      }
    };
    r.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
    ChartStyle.apply(chart);
    plot.setDomainGridlinesVisible(false);
    String note = (best > 0 ? "Best: trial " + best + ", highlighted. " : "No trial finished. ")
        + (low > 0 ? String.format(Locale.ROOT, "The axis starts at %.2f, not 0. ", low) : "")
        + "Trials that did not finish show no bar.";
    TextTitle t = new TextTitle(note, ChartStyle.SMALL);
    t.setPaint(new Color(0x555555));
    t.setPosition(RectangleEdge.BOTTOM);
    chart.addSubtitle(t);
    return chart;
  }

  private static String num(double v, String format) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "";
  }
}
