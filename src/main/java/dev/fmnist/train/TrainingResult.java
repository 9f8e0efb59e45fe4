package dev.fmnist.train;

import dev.fmnist.config.Recipe;
import dev.fmnist.data.DatasetSpec;

/**
 * What a training run produced ({@code fit}'s answer).
 *
 * @param recipe the recipe trained (overrides applied)
 * @param spec what the training images were
 * @param history every epoch, resumed ones included
 * @param weights the checkpoint whose weights are the result (the best epoch under early stopping)
 * @param chosen the history row of that epoch
 * @param stoppedEarly whether a callback (early stopping, a user's) ended the run before its last epoch
 * @param stopReason why, when it did; else null
 * @param epochsThisRun epochs trained by this process (not by earlier, resumed runs)
 * @param seconds wall time of this process's training (not of earlier, resumed runs)
 * @param samplesPerSecond training throughput of this process, validation excluded
 * @param probe validation images and the training session's logits for them, to check exports
 */
public record TrainingResult(
    Recipe recipe,
    DatasetSpec spec,
    TrainingHistory history,
    CheckpointStore.Checkpoint weights,
    EpochRecord chosen,
    boolean stoppedEarly,
    String stopReason,
    int epochsThisRun,
    double seconds,
    double samplesPerSecond,
    Probe probe) {

  /**
   * The training seconds of this run's epochs, on average (NaN when it trained none).
   *
   * @return mean seconds per epoch, or NaN
   */
  public double secondsPerEpochThisRun() {
    return epochsThisRun == 0 ? Double.NaN : history.epochs().stream()
        .skip(history.epochs().size() - epochsThisRun).mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN);
  }

  /**
   * Images ({@code count * spec.valuesPerImage()} values in [0, 1]) and the logits ({@code count *
   * classes}) a session gave for them: what an exported model must reproduce.
   */
  public record Probe(float[] images, float[] logits, int count) {
    /** How many validation images a probe holds at most. */
    public static final int SIZE = 256;

    /**
     * Mirrors the first {@code n} images of {@code px} left to right, in place.
     *
     * @param px the images, {@code spec.valuesPerImage()} values each
     * @param n how many images to mirror
     * @param spec their height, width and channels
     */
    public static void mirror(float[] px, int n, DatasetSpec spec) {
      int w = spec.width();
      int ch = spec.channels();
      for (int i = 0; i < n; i++) {
        for (int row = 0; row < spec.height(); row++) {
          int base = i * spec.valuesPerImage() + row * w * ch;
          for (int c = 0, m = w - 1; c < m; c++, m--) {
            for (int k = 0; k < ch; k++) {
              float tmp = px[base + c * ch + k];
              px[base + c * ch + k] = px[base + m * ch + k];
              px[base + m * ch + k] = tmp;
            }
          }
        }
      }
    }
  }
}
