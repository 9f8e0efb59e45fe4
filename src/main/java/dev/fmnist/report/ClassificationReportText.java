package dev.fmnist.report;

import dev.fmnist.TerminalText;
import dev.fmnist.eval.ClassMetrics;
import dev.fmnist.eval.ClassificationReport;
import java.util.List;
import java.util.Locale;

/**
 * Lays out a {@link ClassificationReport} as scikit-learn's {@code classification_report} prints
 * it: one row per class, then accuracy, macro and weighted averages.
 */
public final class ClassificationReportText {
  private ClassificationReportText() {}

  /**
   * The report with 4 decimals.
   *
   * @param report the metrics
   * @param classNames the class names, by label
   * @return the text table, as scikit-learn's {@code classification_report} lays it out
   */
  public static String format(ClassificationReport report, List<String> classNames) {
    return format(report, classNames, 4);
  }

  /**
   * The report with {@code digits} decimals.
   *
   * @param report the metrics
   * @param names the class names, by label (control characters are printed escaped)
   * @param digits decimals per value
   * @return the text table, as scikit-learn's {@code classification_report} lays it out
   */
  public static String format(ClassificationReport report, List<String> names, int digits) {
    List<String> classNames = names.stream().map(TerminalText::escape).toList();
    int width = Math.max("weighted avg".length(), digits);
    for (String n : classNames) {
      width = Math.max(width, n.length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(pad("", width))
        .append(' ')
        .append(String.format(Locale.ROOT, " %9s %9s %9s %9s", "precision", "recall", "f1-score",
            "support"))
        .append("\n\n");
    for (int c = 0; c < classNames.size(); c++) {
      row(sb, classNames.get(c), report.of(c), width, digits);
    }
    sb.append('\n');
    sb.append(pad("accuracy", width))
        .append(' ')
        .append(String.format(Locale.ROOT, " %9s %9s %9." + digits + "f %9d\n", "", "",
            report.accuracy(), report.count()));
    row(sb, "macro avg", report.macroAverage(), width, digits);
    row(sb, "weighted avg", report.weightedAverage(), width, digits);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, ClassMetrics m, int width, int digits) {
    String f = " %9." + digits + "f";
    sb.append(pad(name, width))
        .append(' ')
        .append(String.format(Locale.ROOT, f + f + f + " %9d\n", m.precision(), m.recall(), m.f1(),
            m.support()));
  }

  private static String pad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }
}
