package dev.fmnist.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A fixed set of 40 predictions over 5 classes, class 4 never predicted, checked against
 * scikit-learn to 4 decimals.
 *
 * <p>How the expected values were obtained: scikit-learn 1.9.1 with numpy in a throwaway venv ran
 * {@code classification_report(y, logits.argmax(1), labels=range(5), output_dict=True,
 * zero_division=0)}, {@code log_loss(y, softmax(logits), labels=range(5))} and {@code
 * top_k_accuracy_score(y, softmax(logits), k=2, labels=range(5))} on the arrays below (generated
 * with {@code numpy.random.default_rng(7)}, logits rounded to 2 decimals). The 15-bin ECE was
 * computed in numpy with bins {@code (lo, hi]}. The script is not needed to run this test.
 */
class SklearnAgreementTest {
  private static final double TOL = 5e-5;

  static final int[] LABELS = {
    4, 3, 3, 4, 2, 3, 4, 1, 0, 1, 1, 4, 4, 0, 2, 4, 0, 3, 0, 2, 4, 1, 1, 1, 3, 1, 4, 2, 2, 2, 2, 2,
    2, 4, 4, 3, 3, 3, 1, 4
  };

  static final float[][] LOGITS = {
    {-2.76f, -0.35f, -1.90f, 0.41f, -5.76f},
    {-0.28f, -3.78f, -0.81f, -0.07f, -5.83f},
    {-2.30f, -0.72f, -1.47f, 0.79f, -4.41f},
    {-1.21f, -0.05f, 1.33f, -0.88f, -6.17f},
    {0.17f, 0.10f, -1.84f, 0.11f, -3.96f},
    {-2.32f, 1.29f, 0.18f, -0.96f, -3.00f},
    {1.14f, -1.80f, 0.11f, 0.87f, -6.28f},
    {1.02f, 1.90f, 1.00f, 2.16f, -7.01f},
    {0.30f, -0.69f, 0.19f, -1.78f, -6.87f},
    {-0.29f, 1.35f, 1.72f, -1.99f, -7.19f},
    {0.97f, -2.99f, -0.69f, -0.15f, -4.11f},
    {1.03f, -0.49f, -0.55f, -0.38f, -1.71f},
    {-0.64f, -0.46f, 0.53f, -0.18f, -4.30f},
    {-1.67f, -0.02f, -0.67f, 1.75f, -5.02f},
    {-0.04f, 1.00f, 1.49f, 1.58f, -6.01f},
    {0.88f, -1.94f, 0.52f, -2.53f, -7.05f},
    {-0.46f, -1.35f, 0.25f, 3.37f, -7.25f},
    {-0.94f, 0.31f, 0.74f, 1.74f, -6.31f},
    {3.05f, 0.78f, -1.55f, -0.12f, -5.95f},
    {-1.58f, 0.39f, 0.71f, 1.46f, -5.71f},
    {0.13f, -0.89f, -0.18f, -3.00f, -7.70f},
    {0.54f, -1.19f, 1.27f, -2.62f, -4.86f},
    {-1.27f, 3.17f, 0.20f, -2.31f, -4.13f},
    {2.16f, 1.90f, -0.41f, -0.24f, -7.46f},
    {1.65f, -0.81f, -0.08f, -1.19f, -6.94f},
    {-1.92f, 1.89f, -0.23f, 1.45f, -5.98f},
    {-1.04f, -0.49f, -0.84f, 0.01f, -4.56f},
    {-0.45f, -2.07f, 0.79f, 2.48f, -7.01f},
    {-1.58f, 0.51f, 4.11f, -2.18f, -6.31f},
    {-0.95f, -2.64f, 3.10f, -0.04f, -5.89f},
    {-1.13f, 0.68f, 1.19f, -0.21f, -7.66f},
    {-1.82f, 2.00f, 1.24f, 0.44f, -6.05f},
    {-0.66f, -0.76f, 2.95f, -0.45f, -6.23f},
    {0.03f, 1.76f, 1.02f, 0.57f, -4.85f},
    {-2.07f, 1.42f, 1.45f, -0.21f, -5.19f},
    {1.17f, 1.25f, 1.38f, 1.32f, -3.73f},
    {-1.87f, 1.29f, 0.74f, 3.31f, -3.18f},
    {2.23f, -1.72f, -2.53f, 3.23f, -7.52f},
    {-0.02f, 1.26f, -2.47f, -3.16f, -5.61f},
    {0.07f, -0.37f, 0.06f, -1.29f, -6.27f},
  };

  /** The same rows as {@code LOGITS}, flattened. */
  static float[] flatLogits() {
    float[] flat = new float[LOGITS.length * 5];
    for (int i = 0; i < LOGITS.length; i++) {
      System.arraycopy(LOGITS[i], 0, flat, i * 5, 5);
    }
    return flat;
  }

  /** The softmax of {@code LOGITS} in float, as a model with a probability output gives it. */
  static float[] flatProbabilities() {
    float[] flat = flatLogits();
    for (int off = 0; off < flat.length; off += 5) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 5; c++) {
        max = Math.max(max, flat[off + c]);
      }
      double sum = 0;
      for (int c = 0; c < 5; c++) {
        sum += Math.exp(flat[off + c] - max);
      }
      float[] row = new float[5];
      for (int c = 0; c < 5; c++) {
        row[c] = (float) (Math.exp(flat[off + c] - max) / sum);
      }
      System.arraycopy(row, 0, flat, off, 5);
    }
    return flat;
  }

  @Test
  void classificationReportMatchesScikitLearn() {
    Predictions p = Predictions.of(5, LABELS, flatLogits(), OutputKind.LOGITS);
    ClassificationReport r = ClassificationReport.of(p.confusionMatrix());
    double[][] expected = { // precision, recall, f1, support
      {0.181818, 0.500000, 0.266667, 4},
      {0.500000, 0.375000, 0.428571, 8},
      {0.400000, 0.444444, 0.421053, 9},
      {0.384615, 0.625000, 0.476190, 8},
      {0.000000, 0.000000, 0.000000, 11},
    };
    for (int c = 0; c < 5; c++) {
      assertRow(expected[c], r.of(c), "class " + c);
    }
    assertRow(new double[] {0.293287, 0.388889, 0.318496, 40}, r.macroAverage(), "macro avg");
    assertRow(new double[] {0.285105, 0.350000, 0.302356, 40}, r.weightedAverage(), "weighted");
    assertEquals(0.350000, r.accuracy(), TOL);
  }

  @Test
  void probabilityMetricsMatchScikitLearn() {
    for (Predictions p :
        new Predictions[] {
          Predictions.of(5, LABELS, flatLogits(), null),
          Predictions.of(5, LABELS, flatProbabilities(), null)
        }) {
      assertEquals(2.876192, Metrics.logLoss(p), TOL, p.kind() + " log loss");
      assertEquals(0.550000, Metrics.topKAccuracy(p, 2), TOL, p.kind() + " top-2");
      assertEquals(0.271433, Calibration.of(p).expectedCalibrationError(), TOL, p.kind() + " ECE");
      assertEquals(0.35, Metrics.topKAccuracy(p, 1), TOL);
    }
  }

  @Test
  void outputKindIsDetectedFromTheValues() {
    assertEquals(OutputKind.LOGITS, Predictions.of(5, LABELS, flatLogits(), null).kind());
    assertEquals(
        OutputKind.PROBABILITIES, Predictions.of(5, LABELS, flatProbabilities(), null).kind());
  }

  private static void assertRow(double[] expected, ClassMetrics m, String what) {
    assertEquals(expected[0], m.precision(), TOL, what + " precision");
    assertEquals(expected[1], m.recall(), TOL, what + " recall");
    assertEquals(expected[2], m.f1(), TOL, what + " f1");
    assertEquals((long) expected[3], m.support(), what + " support");
  }
}
