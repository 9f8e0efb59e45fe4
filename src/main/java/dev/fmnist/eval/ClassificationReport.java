package dev.fmnist.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-class precision, recall, F1 and support with their macro and support-weighted averages,
 * computed from a {@link ConfusionMatrix} the way scikit-learn's {@code classification_report}
 * does.
 *
 * <p>Zero divisions are defined as scikit-learn's {@code zero_division=0} (its default, minus the
 * warning): precision is 0 for a class that is never predicted, recall is 0 for a class with no
 * items, and F1 is 0 when precision and recall are both 0. Such classes still count in the macro
 * average; the weighted average gives each class its support as weight (all 0 when there are no
 * items at all).
 */
public final class ClassificationReport {
  private final ConfusionMatrix matrix;
  private final List<ClassMetrics> perClass;
  private final ClassMetrics macro;
  private final ClassMetrics weighted;

  private ClassificationReport(ConfusionMatrix matrix) {
    this.matrix = matrix;
    int k = matrix.classes();
    List<ClassMetrics> rows = new ArrayList<>(k);
    double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0;
    long total = matrix.total();
    for (int c = 0; c < k; c++) {
      long tp = matrix.truePositives(c);
      long predicted = matrix.predicted(c);
      long support = matrix.support(c);
      double p = ratio(tp, predicted);
      double r = ratio(tp, support);
      double f = p + r == 0 ? 0.0 : 2 * p * r / (p + r);
      rows.add(new ClassMetrics(p, r, f, support));
      mp += p;
      mr += r;
      mf += f;
      wp += p * support;
      wr += r * support;
      wf += f * support;
    }
    this.perClass = List.copyOf(rows);
    this.macro = new ClassMetrics(mp / k, mr / k, mf / k, total);
    this.weighted =
        total == 0
            ? new ClassMetrics(0, 0, 0, 0)
            : new ClassMetrics(wp / total, wr / total, wf / total, total);
  }

  /**
   * The report for the given matrix.
   *
   * @param matrix the confusion matrix
   * @return precision, recall, F1 and support per class, with their averages
   */
  public static ClassificationReport of(ConfusionMatrix matrix) {
    return new ClassificationReport(matrix);
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0.0 : (double) num / den;
  }

  /**
   * The matrix this report was computed from.
   *
   * @return the matrix
   */
  public ConfusionMatrix confusionMatrix() {
    return matrix;
  }

  /**
   * One entry per class, by label.
   *
   * @return the per-class metrics
   */
  public List<ClassMetrics> perClass() {
    return perClass;
  }

  /**
   * The metrics of class {@code c}.
   *
   * @param c the class label
   * @return its precision, recall, F1 and support
   */
  public ClassMetrics of(int c) {
    return perClass.get(c);
  }

  /**
   * Unweighted means over all classes; support is the number of items.
   *
   * @return the macro averages
   */
  public ClassMetrics macroAverage() {
    return macro;
  }

  /**
   * Means weighted by each class's support; support is the number of items.
   *
   * @return the weighted averages
   */
  public ClassMetrics weightedAverage() {
    return weighted;
  }

  /**
   * The fraction of items classified correctly.
   *
   * @return the accuracy, in [0, 1]
   */
  public double accuracy() {
    return matrix.accuracy();
  }

  /**
   * The number of items.
   *
   * @return the matrix's total
   */
  public long count() {
    return matrix.total();
  }
}
