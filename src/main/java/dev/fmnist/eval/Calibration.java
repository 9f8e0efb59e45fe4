package dev.fmnist.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a model's confidence matches its accuracy: equal-width confidence bins and the expected
 * calibration error (Guo et al., 2017), {@code ECE = sum over bins of (n_b / n) * |acc_b - conf_b|},
 * where confidence is the top-class probability and bin {@code b} holds confidences in
 * {@code (b / bins, (b + 1) / bins]}. Empty bins contribute nothing.
 */
public final class Calibration {
  /** The bin count the reports use. */
  public static final int DEFAULT_BINS = 15;

  private final List<ReliabilityBin> bins;
  private final double ece;

  private Calibration(List<ReliabilityBin> bins, double ece) {
    this.bins = bins;
    this.ece = ece;
  }

  /**
   * Bins the predictions into {@link #DEFAULT_BINS} bins.
   *
   * @param predictions the predictions
   * @return the reliability bins and the expected calibration error
   */
  public static Calibration of(Predictions predictions) {
    return of(predictions, DEFAULT_BINS);
  }

  /**
   * Bins the predictions into {@code binCount} equal-width bins.
   *
   * @param predictions the predictions
   * @param binCount the number of bins over [0, 1]
   * @return the reliability bins and the expected calibration error
   * @throws IllegalArgumentException if {@code binCount < 1}
   */
  public static Calibration of(Predictions predictions, int binCount) {
    if (binCount < 1) {
      throw new IllegalArgumentException("bin count must be 1 or more, found " + binCount);
    }
    long[] count = new long[binCount];
    long[] correct = new long[binCount];
    double[] confSum = new double[binCount];
    for (int i = 0; i < predictions.size(); i++) {
      double conf = predictions.confidence(i);
      int b = binOf(conf, binCount);
      count[b]++;
      confSum[b] += conf;
      if (predictions.correct(i)) {
        correct[b]++;
      }
    }
    List<ReliabilityBin> bins = new ArrayList<>(binCount);
    double ece = 0;
    int n = predictions.size();
    for (int b = 0; b < binCount; b++) {
      double acc = count[b] == 0 ? 0 : (double) correct[b] / count[b];
      double conf = count[b] == 0 ? 0 : confSum[b] / count[b];
      bins.add(
          new ReliabilityBin((double) b / binCount, (double) (b + 1) / binCount, count[b], acc, conf));
      if (count[b] > 0) {
        ece += (double) count[b] / n * Math.abs(acc - conf);
      }
    }
    return new Calibration(List.copyOf(bins), ece);
  }

  /** The bin of confidence {@code conf} among {@code binCount}: {@code (b/n, (b+1)/n]}. */
  static int binOf(double conf, int binCount) {
    int b = (int) Math.ceil(conf * binCount) - 1;
    return Math.max(0, Math.min(binCount - 1, b));
  }

  /**
   * The bins, lowest confidence first.
   *
   * @return {@code binCount} bins, empty ones included
   */
  public List<ReliabilityBin> bins() {
    return bins;
  }

  /**
   * The expected calibration error, in [0, 1].
   *
   * @return the items' weighted mean gap between confidence and accuracy per bin
   */
  public double expectedCalibrationError() {
    return ece;
  }
}
