package dev.fmnist.report;

import dev.fmnist.TerminalText;
import dev.fmnist.eval.Bootstrap;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.eval.ModelComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tables of {@code fmnist compare}, as rows of cells, shared by the console and HTML output. */
public final class ComparisonText {
  private ComparisonText() {}

  /**
   * Per model: accuracy, its interval, macro F1, its interval, log loss, ECE.
   *
   * @param c the comparison
   * @return a header row, then one row per model
   */
  public static List<List<String>> summary(ModelComparison c) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("model", "accuracy", "95% CI", "macro F1", "95% CI", "log loss", "ECE"));
    for (int m = 0; m < c.evaluations().size(); m++) {
      Evaluation e = c.evaluations().get(m);
      Bootstrap.Intervals i = c.intervals().get(m);
      rows.add(List.of(e.model().name(), f4(e.accuracy()),
          range(i.accuracy().lower(), i.accuracy().upper()), f4(e.report().macroAverage().f1()),
          range(i.macroF1().lower(), i.macroF1().upper()), f4(e.logLoss()),
          f4(e.calibration().expectedCalibrationError())));
    }
    return rows;
  }

  /**
   * Per pair: the four McNemar cells and the p-value.
   *
   * @param c the comparison
   * @return a header row, then one row per pair of models
   */
  public static List<List<String>> mcNemar(ModelComparison c) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("first (A)", "second (B)", "both right", "only A right", "only B right",
        "both wrong", "p-value"));
    for (ModelComparison.Pair p : c.pairs()) {
      rows.add(List.of(name(c, p.first()), name(c, p.second()),
          Long.toString(p.test().bothCorrect()), Long.toString(p.test().onlyFirst()),
          Long.toString(p.test().onlySecond()), Long.toString(p.test().bothWrong()),
          pValue(p.test().pValue())));
    }
    return rows;
  }

  /**
   * Per class: the baseline's recall, then each other model's recall and change.
   *
   * @param c the comparison
   * @param classNames the class names, by label
   * @return a header row, then one row per class
   */
  public static List<List<String>> recallChanges(ModelComparison c, List<String> classNames) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("class", name(c, 0) + " recall"));
    for (int m = 1; m < c.evaluations().size(); m++) {
      header.add(name(c, m) + " recall");
      header.add("change");
    }
    rows.add(header);
    for (int k = 0; k < classNames.size(); k++) {
      List<String> row = new ArrayList<>(List.of(classNames.get(k),
          f4(c.baseline().report().of(k).recall())));
      for (int m = 1; m < c.evaluations().size(); m++) {
        row.add(f4(c.evaluations().get(m).report().of(k).recall()));
        row.add(String.format(Locale.ROOT, "%+.4f", c.recallChange(m, k)));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Rows laid out in aligned columns (first column left-aligned, others right-aligned).
   *
   * @param given the cells, row by row (control characters are printed escaped)
   * @return the text, one line per row
   */
  public static String columns(List<List<String>> given) {
    List<List<String>> rows = given.stream().map(r -> r.stream().map(TerminalText::escape).toList()).toList();
    int cols = rows.get(0).size();
    int[] w = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : rows) {
      for (int i = 0; i < cols; i++) {
        String cell = r.get(i);
        String pad = " ".repeat(w[i] - cell.length());
        sb.append(i == 0 ? cell + pad : "  " + pad + cell);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String name(ModelComparison c, int m) {
    return c.evaluations().get(m).model().name();
  }

  static String pValue(double p) {
    return p < 1e-4 ? String.format(Locale.ROOT, "%.2e", p) : String.format(Locale.ROOT, "%.4f", p);
  }

  private static String range(double lo, double hi) {
    return String.format(Locale.ROOT, "[%.4f, %.4f]", lo, hi);
  }

  private static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
