package dev.fmnist.train;

import dev.fmnist.config.Recipe;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link Callback} knows about the run it is called from, and the handle through which it
 * acts: {@link #stopTraining} (after the current epoch, as Keras's {@code model.stop_training}),
 * {@link #setLearningRate}, {@link #saveCheckpoint}. One context lives for one {@code fit}.
 */
public final class TrainingContext {
  /** What the loop does for the context; implemented by the fit loop. */
  interface Loop {
    CheckpointStore.Checkpoint saveCheckpoint(TrainingContext context);

    void pruneCheckpoints(int keepEpoch);

    java.util.Map<String, float[]> variableValues();

    java.util.Map<String, float[]> gradientValues();

    org.tensorflow.proto.GraphDef graphDef();
  }

  private final Recipe recipe;
  private final DatasetSpec spec;
  private final int batchesPerEpoch;
  private final int trainSize;
  private final int validationSize;
  private final int initialEpoch;
  private final Path runDirectory;
  private final PrintWriter log;
  private final Loop loop;
  private TrainingHistory history;
  private long step;
  private double learningRate = Double.NaN;
  private double learningRateOverride = Double.NaN;
  private String stopReason;

  TrainingContext(Recipe recipe, Split split, int batchesPerEpoch, TrainingState start, Path runDirectory,
      PrintWriter log, Loop loop) {
    this.recipe = recipe;
    this.spec = split.train().spec();
    this.batchesPerEpoch = batchesPerEpoch;
    this.trainSize = split.train().size();
    this.validationSize = split.validation().size();
    this.initialEpoch = start.epoch();
    this.history = start.trainingHistory();
    this.step = start.step();
    this.runDirectory = runDirectory;
    this.log = log;
    this.loop = loop;
  }

  /**
   * The recipe being trained.
   *
   * @return the recipe, overrides applied
   */
  public Recipe recipe() {
    return recipe;
  }

  /**
   * What the images are (size, channels, class names).
   *
   * @return the training images' description
   */
  public DatasetSpec spec() {
    return spec;
  }

  /**
   * The planned number of epochs.
   *
   * @return the recipe's {@code training.epochs}
   */
  public int epochs() {
    return recipe.training().epochs();
  }

  /**
   * Training steps per epoch.
   *
   * @return the number of batches of the training split
   */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /**
   * Images in the training split.
   *
   * @return the number of training images
   */
  public int trainSize() {
    return trainSize;
  }

  /**
   * Images in the validation split (0 without one).
   *
   * @return the number of validation images, or 0
   */
  public int validationSize() {
    return validationSize;
  }

  /**
   * The epochs completed before this {@code fit} started: 0, or the epoch of the resumed checkpoint.
   *
   * @return the epoch training continues after
   */
  public int initialEpoch() {
    return initialEpoch;
  }

  /**
   * Optimizer steps taken so far, resumed ones included.
   *
   * @return the global step count
   */
  public long step() {
    return step;
  }

  /**
   * Every recorded epoch so far, resumed ones included (the current epoch once it is recorded).
   *
   * @return the history
   */
  public TrainingHistory history() {
    return history;
  }

  /**
   * The run directory (checkpoints, history files).
   *
   * @return the run directory
   */
  public Path runDirectory() {
    return runDirectory;
  }

  /**
   * Where callbacks write messages for the user.
   *
   * @return the log writer (it may discard everything)
   */
  public PrintWriter log() {
    return log;
  }

  /**
   * The learning rate of the latest step.
   *
   * @return the rate used by the latest step, or NaN before the first step
   */
  public double learningRate() {
    return learningRate;
  }

  /**
   * Uses {@code rate} for the following steps instead of the schedule's value (as Keras's
   * {@code ReduceLROnPlateau} sets the optimizer's rate); NaN goes back to the schedule.
   *
   * @param rate the new rate, &gt;= 0, or NaN for the schedule's
   * @throws IllegalArgumentException when {@code rate} is negative or infinite
   */
  public void setLearningRate(double rate) {
    if (rate < 0 || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("learning rate must be a finite number >= 0, found " + rate);
    }
    learningRateOverride = rate;
  }

  /**
   * Asks the run to stop after the current epoch (its checkpoint and history are written first).
   *
   * @param reason a short explanation, recorded in the result and the run's log
   */
  public void stopTraining(String reason) {
    if (stopReason == null) {
      stopReason = reason == null ? "stopped by a callback" : reason;
    }
  }

  /**
   * Why training was asked to stop, if it was.
   *
   * @return the reason given to {@link #stopTraining}, or empty
   */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /**
   * Saves a checkpoint of the current weights, step, history and callback states now.
   *
   * @return the checkpoint written
   * @throws dev.fmnist.StorageException when the checkpoint cannot be written
   */
  public CheckpointStore.Checkpoint saveCheckpoint() {
    return loop.saveCheckpoint(this);
  }

  /**
   * Deletes old checkpoints, keeping the recipe's {@code checkpoints_kept} newest and {@code keepEpoch}'s.
   *
   * @param keepEpoch an epoch whose checkpoint is kept in any case (e.g. the best one)
   */
  public void pruneCheckpoints(int keepEpoch) {
    loop.pruneCheckpoints(keepEpoch);
  }

  /**
   * The current value of every trainable variable, by name (a copy; for histograms and analysis).
   *
   * @return variable name to its values, flattened row-major
   */
  public java.util.Map<String, float[]> variableValues() {
    return loop.variableValues();
  }

  /**
   * The loss's gradient for every trainable variable, by name, on a fixed batch (the first images
   * of the training split, not augmented, dropout seeded by the run seed): what gradient histograms
   * show. Costs one forward and backward pass; changes nothing.
   *
   * @return variable name to the gradient's values, flattened row-major
   */
  public java.util.Map<String, float[]> gradientValues() {
    return loop.gradientValues();
  }

  /**
   * The training graph, as TensorBoard's graph view takes it.
   *
   * @return the graph's definition
   */
  public org.tensorflow.proto.GraphDef graphDef() {
    return loop.graphDef();
  }

  // --- for the loop and the built-in recorder ---

  double learningRateOverride() {
    return learningRateOverride;
  }

  void stepDone(long newStep, double rate) {
    this.step = newStep;
    this.learningRate = rate;
  }

  void record(EpochRecord r) {
    history = history.plus(r);
  }
}
