package dev.fmnist.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-made confusion matrices whose metrics were worked out on paper. */
class ClassificationReportTest {
  private static final double EPS = 1e-9;

  /**
   * Three classes; class 2 is never predicted. Rows true, columns predicted:
   *
   * <pre>
   *   3 1 0    support 4, predicted 5
   *   1 2 0    support 3, predicted 4
   *   1 1 0    support 2, predicted 0
   * </pre>
   */
  private static final long[][] NEVER_PREDICTED = {{3, 1, 0}, {1, 2, 0}, {1, 1, 0}};

  @Test
  void perClassMetricsOfAMatrixWithANeverPredictedClass() {
    ClassificationReport r = ClassificationReport.of(ConfusionMatrix.ofCounts(NEVER_PREDICTED));
    // class 0: P = 3/5, R = 3/4, F1 = 2PR/(P+R) = 0.9/1.35
    assertMetrics(r.of(0), 0.6, 0.75, 2.0 / 3, 4);
    // class 1: P = 2/4, R = 2/3, F1 = (2/3)/(7/6) = 4/7
    assertMetrics(r.of(1), 0.5, 2.0 / 3, 4.0 / 7, 3);
    // class 2: never predicted, so precision is 0/0 := 0; recall 0/2 = 0; F1 := 0
    assertMetrics(r.of(2), 0.0, 0.0, 0.0, 2);
    assertEquals(5.0 / 9, r.accuracy(), EPS);
    assertEquals(9, r.count());
  }

  @Test
  void averagesCountTheNeverPredictedClass() {
    ClassificationReport r = ClassificationReport.of(ConfusionMatrix.ofCounts(NEVER_PREDICTED));
    assertMetrics(
        r.macroAverage(), (0.6 + 0.5) / 3, (0.75 + 2.0 / 3) / 3, (2.0 / 3 + 4.0 / 7) / 3, 9);
    // weighted by support 4, 3, 2; weighted recall equals accuracy
    assertMetrics(
        r.weightedAverage(),
        (0.6 * 4 + 0.5 * 3) / 9,
        5.0 / 9,
        (2.0 / 3 * 4 + 4.0 / 7 * 3) / 9,
        9);
  }

  @Test
  void aClassWithNoItemsHasZeroRecallAndZeroWeight() {
    // class 1 never occurs but is predicted once: precision 0/1 = 0, recall 0/0 := 0
    long[][] m = {{2, 1}, {0, 0}};
    ClassificationReport r = ClassificationReport.of(ConfusionMatrix.ofCounts(m));
    assertMetrics(r.of(0), 1.0, 2.0 / 3, 0.8, 3);
    assertMetrics(r.of(1), 0.0, 0.0, 0.0, 0);
    assertMetrics(r.macroAverage(), 0.5, 1.0 / 3, 0.4, 3);
    assertMetrics(r.weightedAverage(), 1.0, 2.0 / 3, 0.8, 3);
  }

  @Test
  void aPerfectDiagonalScoresOne() {
    ClassificationReport r =
        ClassificationReport.of(ConfusionMatrix.ofCounts(new long[][] {{5, 0}, {0, 7}}));
    assertMetrics(r.macroAverage(), 1, 1, 1, 12);
    assertMetrics(r.weightedAverage(), 1, 1, 1, 12);
    assertEquals(1.0, r.accuracy(), EPS);
  }

  @Test
  void anEmptyMatrixIsAllZeroes() {
    ClassificationReport r = ClassificationReport.of(ConfusionMatrix.ofCounts(new long[2][2]));
    assertMetrics(r.macroAverage(), 0, 0, 0, 0);
    assertMetrics(r.weightedAverage(), 0, 0, 0, 0);
    assertEquals(0.0, r.accuracy());
  }

  @Test
  void confusionMatrixCountsRowsTrueColumnsPredicted() {
    ConfusionMatrix m = ConfusionMatrix.of(3, new int[] {0, 0, 1, 2, 2}, new int[] {0, 1, 1, 0, 2});
    assertArrayEquals(new long[] {1, 1, 0}, m.toArray()[0]);
    assertArrayEquals(new long[] {0, 1, 0}, m.toArray()[1]);
    assertArrayEquals(new long[] {1, 0, 1}, m.toArray()[2]);
    assertEquals(2, m.predicted(0));
    assertEquals(2, m.support(2));
    assertArrayEquals(new double[] {0.5, 0, 0.5}, m.rowNormalized()[2], EPS);
  }

  @Test
  void differenceOfTwoMatrices() {
    ConfusionMatrix a = ConfusionMatrix.ofCounts(new long[][] {{3, 1}, {2, 4}});
    ConfusionMatrix b = ConfusionMatrix.ofCounts(new long[][] {{4, 0}, {1, 5}});
    assertArrayEquals(new long[] {1, -1}, b.minus(a)[0]);
    assertArrayEquals(new long[] {-1, 1}, b.minus(a)[1]);
  }

  @Test
  void refusesLabelsOutOfRangeAndRaggedMatrices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfusionMatrix.of(3, new int[] {0, 3}, new int[] {0, 1}));
    assertEquals("true label must be in [0, 3), found 3", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfusionMatrix.ofCounts(new long[][] {{1, 2}, {3}}));
  }

  private static void assertMetrics(ClassMetrics m, double p, double r, double f1, long support) {
    assertEquals(p, m.precision(), EPS, "precision");
    assertEquals(r, m.recall(), EPS, "recall");
    assertEquals(f1, m.f1(), EPS, "f1");
    assertEquals(support, m.support(), "support");
  }
}
