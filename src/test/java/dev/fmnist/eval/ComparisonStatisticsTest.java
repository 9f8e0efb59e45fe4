package dev.fmnist.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComparisonStatisticsTest {
  /**
   * Expected p-values from scipy 1.17.1, {@code binomtest(min(b, c), b + c, 0.5).pvalue}, which for
   * p = 1/2 equals statsmodels' {@code mcnemar([[.., b], [c, ..]], exact=True).pvalue}.
   */
  @Test
  void exactMcNemarPValuesMatchScipy() {
    assertEquals(1.0, McNemarTest.exactPValue(0, 0));
    assertEquals(0.25, McNemarTest.exactPValue(3, 0), 1e-12);
    assertEquals(0.0625, McNemarTest.exactPValue(0, 5), 1e-12);
    assertEquals(1.0, McNemarTest.exactPValue(1, 1), 1e-12);
    assertEquals(0.016673847800120715, McNemarTest.exactPValue(10, 25), 1e-12);
    assertEquals(0.08862608011406758, McNemarTest.exactPValue(59, 41), 1e-12);
    assertEquals(0.00393333651282517, McNemarTest.exactPValue(120, 170), 1e-12);
    assertEquals(0.007707305043339153, McNemarTest.exactPValue(400, 480), 1e-11);
  }

  @Test
  void mcNemarCountsTheFourCells() {
    int[] labels = {0, 1, 2, 0, 1, 2};
    // first: right on 0,1,2,3; second: right on 0,1,4
    Predictions a = Predictions.of(3, labels, oneHot(3, new int[] {0, 1, 2, 0, 2, 0}), null);
    Predictions b = Predictions.of(3, labels, oneHot(3, new int[] {0, 1, 0, 1, 1, 1}), null);
    McNemarTest t = McNemarTest.of(a, b);
    assertEquals(2, t.bothCorrect());
    assertEquals(2, t.onlyFirst());
    assertEquals(1, t.onlySecond());
    assertEquals(1, t.bothWrong());
    assertEquals(3, t.disagreements());
    assertEquals(1.0, t.pValue(), 1e-12);
  }

  @Test
  void bootstrapIsSeededAndBracketsTheEstimate() {
    Predictions p =
        Predictions.of(5, SklearnAgreementTest.LABELS, SklearnAgreementTest.flatLogits(), null);
    Bootstrap.Intervals a = Bootstrap.of(p, 1000, 42, 0.95);
    Bootstrap.Intervals again = Bootstrap.of(p, 1000, 42, 0.95);
    Bootstrap.Intervals other = Bootstrap.of(p, 1000, 7, 0.95);
    assertEquals(a, again);
    assertNotEquals(a, other);
    assertEquals(0.35, a.accuracy().estimate(), 1e-12);
    assertTrue(a.accuracy().lower() < 0.35 && 0.35 < a.accuracy().upper(), a.toString());
    assertTrue(a.macroF1().lower() < a.macroF1().estimate()
        && a.macroF1().estimate() < a.macroF1().upper(), a.toString());
    // binomial standard error sqrt(.35 * .65 / 40) = 0.075: the 95% interval is about +-0.15
    double width = a.accuracy().upper() - a.accuracy().lower();
    assertTrue(width > 0.22 && width < 0.38, "width " + width);
  }

  @Test
  void bootstrapOfPerfectPredictionsIsAPoint() {
    int[] labels = {0, 1, 1, 0};
    Predictions p = Predictions.of(2, labels, oneHot(2, labels), null);
    Bootstrap.Intervals i = Bootstrap.of(p, 50, 1, 0.95);
    assertEquals(1.0, i.accuracy().lower());
    assertEquals(1.0, i.accuracy().upper());
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.of(p, 0, 1, 0.95));
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    double[] s = {1, 2, 3, 4};
    assertEquals(1.075, Bootstrap.percentile(s, 0.025), 1e-12); // numpy.percentile(s, 2.5)
    assertEquals(3.925, Bootstrap.percentile(s, 0.975), 1e-12);
  }

  static float[] oneHot(int classes, int[] predicted) {
    float[] out = new float[predicted.length * classes];
    for (int i = 0; i < predicted.length; i++) {
      out[i * classes + predicted[i]] = 5f;
    }
    return out;
  }
}
