package dev.fmnist.train;

/**
 * Appends each epoch's logs to the run's history (Keras's {@code History} callback). Every run has
 * one, first among the built-in callbacks: those after it see the epoch in {@link
 * TrainingContext#history()}, and metrics that user callbacks added are in the row.
 */
final class EpochRecorder implements Callback {
  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    context.record(EpochRecord.of(epoch, logs));
  }
}
