package dev.fmnist.savedmodel;

/**
 * How long a prediction run took.
 *
 * @param images the number of images predicted
 * @param batchSize the largest batch fed to the model
 * @param modelSeconds time spent inside {@code Session.run}, summed over batches
 * @param totalSeconds wall time including building input tensors and reading outputs
 */
public record PredictionTiming(long images, int batchSize, double modelSeconds, double totalSeconds) {

  /**
   * Images per second of model time (0 when no time was measured).
   *
   * @return {@code images / modelSeconds}, or 0
   */
  public double imagesPerSecond() {
    return modelSeconds > 0 ? images / modelSeconds : 0;
  }
}
