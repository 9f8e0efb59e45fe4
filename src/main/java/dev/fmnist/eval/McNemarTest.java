package dev.fmnist.eval;

/**
 * McNemar's exact test of two classifiers on the same items: under the null hypothesis that both
 * are equally accurate, the items exactly one of them gets right split between them like fair coin
 * flips. The two-sided p-value is {@code min(1, 2 * P(X <= min(b, c)))} for {@code X ~
 * Binomial(b + c, 1/2)}, as in statsmodels' {@code mcnemar(exact=True)}; it is 1 when there are no
 * disagreements.
 *
 * @param bothCorrect items both classify correctly
 * @param onlyFirst items only the first classifies correctly ({@code b})
 * @param onlySecond items only the second classifies correctly ({@code c})
 * @param bothWrong items both get wrong
 * @param pValue the exact two-sided p-value
 */
public record McNemarTest(
    long bothCorrect, long onlyFirst, long onlySecond, long bothWrong, double pValue) {

  /**
   * Compares two sets of predictions of the same items.
   *
   * @param first one model's predictions
   * @param second another model's predictions of the same items
   * @return the disagreement counts and the exact p-value
   * @throws IllegalArgumentException if they are not of the same items (sizes or labels differ)
   */
  public static McNemarTest of(Predictions first, Predictions second) {
    if (first.size() != second.size()) {
      throw new IllegalArgumentException(
          "predictions are of " + first.size() + " and " + second.size() + " items");
    }
    long both = 0;
    long b = 0;
    long c = 0;
    long neither = 0;
    for (int i = 0; i < first.size(); i++) {
      if (first.label(i) != second.label(i)) {
        throw new IllegalArgumentException("item " + i + " has different labels in the two sets");
      }
      boolean f = first.correct(i);
      boolean s = second.correct(i);
      if (f && s) {
        both++;
      } else if (f) {
        b++;
      } else if (s) {
        c++;
      } else {
        neither++;
      }
    }
    return new McNemarTest(both, b, c, neither, exactPValue(b, c));
  }

  /**
   * The exact two-sided p-value for {@code b} and {@code c} disagreements.
   *
   * @param b items the first model got right and the second wrong
   * @param c items the second model got right and the first wrong
   * @return the p-value, 1 when there is no disagreement
   */
  public static double exactPValue(long b, long c) {
    long n = b + c;
    if (n == 0) {
      return 1.0;
    }
    long k = Math.min(b, c);
    // P(X <= k) summed in log space: log C(n, i) - n log 2, added with log-sum-exp
    double logHalfN = -n * Math.log(2);
    double[] terms = new double[(int) k + 1];
    double logC = 0; // log C(n, 0)
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= k; i++) {
      if (i > 0) {
        logC += Math.log((double) (n - i + 1) / i);
      }
      terms[i] = logC + logHalfN;
      max = Math.max(max, terms[i]);
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    double cdf = Math.exp(max + Math.log(sum));
    return Math.min(1.0, 2 * cdf);
  }

  /**
   * The number of items the two disagree on correctness ({@code b + c}).
   *
   * @return the count
   */
  public long disagreements() {
    return onlyFirst + onlySecond;
  }
}
