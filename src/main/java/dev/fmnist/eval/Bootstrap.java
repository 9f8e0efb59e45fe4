package dev.fmnist.eval;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals for accuracy and macro F1. Each resample draws as many
 * items as there are, with replacement, from a {@link SplittableRandom} seeded with the given seed;
 * the same seed gives every model the same resamples, so intervals of models evaluated on the same
 * images are paired.
 */
public final class Bootstrap {
  /** The resample count {@code compare} uses. */
  public static final int DEFAULT_RESAMPLES = 1000;
  /**
   * The most resamples: each is a pass over every item of every model (100,000 over a 10,000-image
   * test set is 10^9 draws per model, tens of seconds); intervals stop changing long before.
   */
  public static final int MAX_RESAMPLES = 100_000;
  /** The seed {@code compare} uses. */
  public static final long DEFAULT_SEED = 42;

  private Bootstrap() {}

  /** Accuracy and macro-F1 intervals of one model. */
  public record Intervals(ConfidenceInterval accuracy, ConfidenceInterval macroF1) {}

  /**
   * Bootstraps {@code p}.
   *
   * @param p the predictions to resample
   * @param resamples how many resamples of the items, 1 to {@link #MAX_RESAMPLES}
   * @param seed seeds the resampling
   * @param level e.g. 0.95 for the 2.5th and 97.5th percentiles
   * @return the accuracy and macro-F1 intervals
   * @throws IllegalArgumentException if {@code resamples} is not 1 to {@link #MAX_RESAMPLES}, {@code level} is not in (0, 1) or
   *     there are no items
   */
  public static Intervals of(Predictions p, int resamples, long seed, double level) {
    if (resamples < 1 || resamples > MAX_RESAMPLES) {
      throw new IllegalArgumentException("resamples must be 1 to " + MAX_RESAMPLES + ", found " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), found " + level);
    }
    int n = p.size();
    if (n == 0) {
      throw new IllegalArgumentException("no items to resample");
    }
    int k = p.classes();
    int[] labels = p.labels();
    int[] predicted = p.predictedLabels();
    double[] acc = new double[resamples];
    double[] f1 = new double[resamples];
    SplittableRandom rng = new SplittableRandom(seed);
    long[] tp = new long[k];
    long[] pred = new long[k];
    long[] support = new long[k];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(tp, 0);
      Arrays.fill(pred, 0);
      Arrays.fill(support, 0);
      long correct = 0;
      for (int j = 0; j < n; j++) {
        int i = rng.nextInt(n);
        support[labels[i]]++;
        pred[predicted[i]]++;
        if (labels[i] == predicted[i]) {
          tp[labels[i]]++;
          correct++;
        }
      }
      acc[r] = (double) correct / n;
      f1[r] = macroF1(tp, pred, support);
    }
    ClassificationReport full = ClassificationReport.of(p.confusionMatrix());
    return new Intervals(
        interval(full.accuracy(), acc, level), interval(full.macroAverage().f1(), f1, level));
  }

  /**
   * Intervals for several models over the same items, with the same resamples.
   *
   * @param models each model's predictions of the same items
   * @param resamples how many resamples, &gt;= 1; every model is scored on the same ones
   * @param seed seeds the resampling
   * @param level e.g. 0.95 for the 2.5th and 97.5th percentiles
   * @return one pair of intervals per model, in order
   * @throws IllegalArgumentException as {@link #of(Predictions, int, long, double)}
   */
  public static List<Intervals> of(List<Predictions> models, int resamples, long seed,
      double level) {
    return models.stream().map(p -> of(p, resamples, seed, level)).toList();
  }

  private static double macroF1(long[] tp, long[] pred, long[] support) {
    double sum = 0;
    for (int c = 0; c < tp.length; c++) {
      double precision = pred[c] == 0 ? 0 : (double) tp[c] / pred[c];
      double recall = support[c] == 0 ? 0 : (double) tp[c] / support[c];
      sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
    return sum / tp.length;
  }

  private static ConfidenceInterval interval(double estimate, double[] samples, double level) {
    double[] s = samples.clone();
    Arrays.sort(s);
    double alpha = (1 - level) / 2;
    return new ConfidenceInterval(estimate, percentile(s, alpha), percentile(s, 1 - alpha), level);
  }

  /** Linear interpolation between order statistics (numpy's default percentile method). */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
