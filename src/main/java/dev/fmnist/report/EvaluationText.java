package dev.fmnist.report;

import dev.fmnist.TerminalText;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.savedmodel.ModelManifest;
import dev.fmnist.savedmodel.PredictionTiming;
import java.util.Locale;
import java.util.OptionalDouble;

/** The console text of {@code fmnist evaluate}. */
public final class EvaluationText {
  private EvaluationText() {}

  /**
   * Model, signature and timing lines printed before the report.
   *
   * @param e the evaluation
   * @return the header text
   */
  public static String header(Evaluation e) {
    PredictionTiming t = e.timing();
    return String.format(
        Locale.ROOT,
        "model      %s (%s, %s)%n"
            + "signature  %s; the output holds %s%n"
            + "predicted  %s in %.2f s of model time (%,.0f images/s, batches of %d;"
            + " %.2f s in all)%n",
        TerminalText.escape(e.model().location()),
        TerminalText.escape(e.model().name()),
        e.model().format().displayName(),
        e.model().signature(),
        e.predictions().kind().label(),
        "images".equals(e.split()) ? TerminalText.plural(e.count(), "image") + " of " + TerminalText.escape(e.dataset())
            : TerminalText.plural(e.count(), e.split() + " image"),
        t.modelSeconds(),
        t.imagesPerSecond(),
        t.batchSize(),
        t.totalSeconds());
  }

  /**
   * The scikit-learn style report followed by the probability metrics.
   *
   * @param e the evaluation
   * @return the text
   */
  public static String body(Evaluation e) {
    return ClassificationReportText.format(e.report(), e.classNames())
        + String.format(
            Locale.ROOT,
            "%ntop-2 accuracy   %.4f%nlog loss         %.4f%nECE (15 bins)    %.4f%n",
            e.top2Accuracy(),
            e.logLoss(),
            e.calibration().expectedCalibrationError());
  }

  /**
   * How the accuracy compares with the one recorded in the manifest at export, or null when there
   * is none.
   *
   * @param e the evaluation
   * @return one line, or null
   */
  public static String manifestCheck(Evaluation e) {
    ModelManifest m = e.model().manifest();
    OptionalDouble recorded = m == null ? OptionalDouble.empty() : m.metric("test_accuracy");
    if (recorded.isEmpty() || !"test".equals(e.split())) {
      return null;
    }
    long correct = Math.round(e.accuracy() * e.count());
    if (recorded.getAsDouble() == e.accuracy()) {
      return String.format(
          Locale.ROOT,
          "accuracy %.4f (%d/%d) equals the test_accuracy recorded in the manifest",
          e.accuracy(), correct, e.count());
    }
    return String.format(
        Locale.ROOT,
        "warning: accuracy %.6f (%d/%d) differs from the test_accuracy recorded in the manifest,"
            + " %.6f%s",
        e.accuracy(), correct, e.count(), recorded.getAsDouble(),
        m.testCorrect().isPresent() ? " (" + m.testCorrect().getAsLong() + " correct)" : "");
  }
}
