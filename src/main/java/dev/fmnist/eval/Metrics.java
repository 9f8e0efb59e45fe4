package dev.fmnist.eval;

/** Scalar metrics over {@link Predictions} that need no intermediate table. */
public final class Metrics {
  private Metrics() {}

  /**
   * The fraction of items whose true class is among the {@code k} most probable ones; 0 for no
   * items.
   *
   * @param p the predictions
   * @param k how many classes count, &gt;= 1
   * @return the top-k accuracy, in [0, 1]
   */
  public static double topKAccuracy(Predictions p, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be 1 or more, found " + k);
    }
    if (p.size() == 0) {
      return 0;
    }
    long hits = 0;
    for (int i = 0; i < p.size(); i++) {
      if (p.inTopK(i, k)) {
        hits++;
      }
    }
    return (double) hits / p.size();
  }

  /**
   * The mean of {@code -ln p(true class)} over the items (scikit-learn's {@code log_loss}); NaN for
   * no items. See {@link Predictions} for how probabilities are clipped.
   *
   * @param p the predictions
   * @return the log loss, natural log
   */
  public static double logLoss(Predictions p) {
    if (p.size() == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < p.size(); i++) {
      sum += p.negLogLikelihood(i);
    }
    return sum / p.size();
  }
}
