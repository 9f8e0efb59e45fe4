package dev.fmnist.train;

/**
 * Hooks into the fit loop, as Keras's callbacks: they see named metrics ({@link Logs}) and act
 * through the {@link TrainingContext} (stop training, set the learning rate, save a checkpoint).
 * Progress display, history files, checkpoints, early stopping, the NaN guard and the plateau
 * schedule are callbacks too ({@code dev.fmnist.train.callbacks}); a run calls the user's
 * callbacks first, then the built-in ones, so a metric a user callback puts into the epoch's logs
 * is recorded in the history, checkpointed and written to {@code history.csv}. Every method has a
 * default that does nothing.
 *
 * <p>A callback whose state must survive a kill and a resume implements {@link
 * StatefulCallback}; the state then travels in every checkpoint.
 */
public interface Callback {
  /**
   * Before the first step; {@link TrainingContext#initialEpoch()} is 0 unless resuming.
   *
   * @param context the run: recipe, sizes, history, and the control handle
   */
  default void onTrainBegin(TrainingContext context) {}

  /**
   * Before the first step of {@code epoch} (1-based).
   *
   * @param epoch the epoch about to start, from 1
   * @param context the run
   */
  default void onEpochBegin(int epoch, TrainingContext context) {}

  /**
   * Before training step {@code batch} (0-based within the epoch).
   *
   * @param epoch the current epoch, from 1
   * @param batch the step within the epoch, from 0
   * @param context the run
   */
  default void onBatchBegin(int epoch, int batch, TrainingContext context) {}

  /**
   * After training step {@code batch}, with the running mean loss and accuracy of the epoch so far.
   *
   * @param epoch the current epoch, from 1
   * @param batch the step within the epoch, from 0
   * @param logs {@link Logs#LOSS} and {@link Logs#ACCURACY} so far this epoch
   * @param context the run
   */
  default void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {}

  /**
   * After the epoch's validation. Callbacks may add metrics to {@code logs} (they are recorded),
   * or ask the run to stop after this epoch.
   *
   * @param epoch the epoch just finished, from 1
   * @param logs the epoch's metrics (see {@link Logs}); metrics put here go into the history
   * @param context the run; {@link TrainingContext#stopTraining} ends training after this epoch
   */
  default void onEpochEnd(int epoch, Logs logs, TrainingContext context) {}

  /**
   * After the last epoch, or when training stopped early; {@code result} is what {@code fit} returns.
   *
   * @param result the history and the checkpoint whose weights are the result
   * @param context the run
   */
  default void onTrainEnd(TrainingResult result, TrainingContext context) {}
}
