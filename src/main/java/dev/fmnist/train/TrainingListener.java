package dev.fmnist.train;

/**
 * Hooks into the training loop (progress display, history files, logs), so the loop itself only
 * trains. Every method has a default that does nothing.
 */
public interface TrainingListener {
  /** Before the first step; {@code startEpoch} is the last completed epoch (0 unless resuming). */
  default void onTrainingStart(int startEpoch, int epochs, int batchesPerEpoch, int trainSize, int validationSize) {}

  default void onEpochStart(int epoch) {}

  /** After each step, with the running mean loss and accuracy of the epoch so far. */
  default void onBatchEnd(int epoch, int batch, double loss, double accuracy) {}

  /** After validation and the checkpoint; {@code improved} is true when validation loss improved. */
  default void onEpochEnd(EpochRecord record, TrainingHistory history, boolean improved) {}

  /** After the last epoch, or when early stopping ended training. */
  default void onTrainingEnd(TrainingResult result) {}
}
