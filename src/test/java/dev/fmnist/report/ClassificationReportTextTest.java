package dev.fmnist.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fmnist.eval.ClassificationReport;
import dev.fmnist.eval.ConfusionMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTextTest {
  /**
   * The confusion matrix of SklearnAgreementTest's predictions; the expected text is what
   * scikit-learn 1.9.1 printed for {@code classification_report(y, pred, labels=range(5), digits=4,
   * zero_division=0)} on them, character for character.
   */
  @Test
  void layoutMatchesScikitLearn() {
    long[][] m = {
      {2, 0, 0, 2, 0}, {2, 3, 2, 1, 0}, {1, 1, 4, 3, 0}, {1, 1, 1, 5, 0}, {5, 1, 3, 2, 0}
    };
    String expected =
        """
                      precision    recall  f1-score   support

                   0     0.1818    0.5000    0.2667         4
                   1     0.5000    0.3750    0.4286         8
                   2     0.4000    0.4444    0.4211         9
                   3     0.3846    0.6250    0.4762         8
                   4     0.0000    0.0000    0.0000        11

            accuracy                         0.3500        40
           macro avg     0.2933    0.3889    0.3185        40
        weighted avg     0.2851    0.3500    0.3024        40
        """;
    String text =
        ClassificationReportText.format(
            ClassificationReport.of(ConfusionMatrix.ofCounts(m)), List.of("0", "1", "2", "3", "4"));
    assertEquals(expected, text);
  }
}
