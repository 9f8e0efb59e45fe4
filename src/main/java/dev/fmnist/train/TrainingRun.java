package dev.fmnist.train;

import dev.fmnist.AtomicFiles;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.ScheduleSpec;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.Split;
import dev.fmnist.data.Splits;
import dev.fmnist.train.callbacks.EarlyStopping;
import dev.fmnist.train.callbacks.HistoryWriter;
import dev.fmnist.train.callbacks.ModelCheckpoint;
import dev.fmnist.train.callbacks.PlateauSchedule;
import dev.fmnist.train.callbacks.ProgressBar;
import dev.fmnist.train.callbacks.TensorBoard;
import dev.fmnist.train.callbacks.TerminateOnNaN;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One training run of a recipe on a dataset, the Java API behind {@code fmnist train}:
 *
 * <pre>{@code
 * TrainingResult result = TrainingRun.of(recipe)
 *     .data(FashionMnist.load(dir))
 *     .runDirectory(Path.of("runs/cnn"))
 *     .callbacks(myCallback)
 *     .fit();
 * }</pre>
 *
 * <p>{@link #fit} holds out the recipe's seeded, stratified validation split, trains with the
 * user's callbacks and then the built-in ones (history, the NaN guard, early stopping and the
 * plateau schedule when the recipe asks for them, TensorBoard event files unless {@link #tensorBoard}
 * turns them off, checkpoints, history files, progress when {@link
 * #progress} is set), and returns the result; its weights export with {@link
 * dev.fmnist.export.ModelExporter}. A run directory holds one run: checkpoints, {@code
 * history.json}/{@code .csv}. Configure, then call {@code fit} once.
 */
public final class TrainingRun {
  private final Recipe recipe;
  private Dataset data;
  private ImageSet validation;
  private Path runDirectory;
  private SessionOptions session = SessionOptions.cpuDefault();
  private final List<Callback> callbacks = new ArrayList<>();
  private boolean resume;
  private boolean overwrite;
  private PrintWriter log = new PrintWriter(OutputStream.nullOutputStream());
  private ProgressBar progress;
  private boolean tensorBoard = true;
  private int tensorBoardBatchFrequency;

  private TrainingRun(Recipe recipe) {
    this.recipe = Objects.requireNonNull(recipe, "recipe");
    this.runDirectory = Path.of("runs", recipe.name());
  }

  /**
   * A run of {@code recipe}, into {@code runs/<name>/} unless {@link #runDirectory} says otherwise.
   *
   * @param recipe the recipe to train
   * @return a run with the defaults
   */
  public static TrainingRun of(Recipe recipe) {
    return new TrainingRun(recipe);
  }

  /**
   * The dataset to train on (required): the validation split is carved from its training set.
   *
   * @param dataset the training and test images
   * @return this run
   */
  public TrainingRun data(Dataset dataset) {
    this.data = Objects.requireNonNull(dataset, "dataset");
    return this;
  }

  /**
   * Validates on these images instead of the recipe's split (as Keras's {@code validation_data}):
   * the whole training set is trained on.
   *
   * @param images the validation images, of the dataset's spec
   * @return this run
   */
  public TrainingRun validationData(ImageSet images) {
    this.validation = Objects.requireNonNull(images, "images");
    return this;
  }

  /**
   * Where checkpoints and history files go (default {@code runs/<recipe name>}).
   *
   * @param dir the run directory
   * @return this run
   */
  public TrainingRun runDirectory(Path dir) {
    this.runDirectory = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /**
   * Device and thread pools (default: the CPU, every core).
   *
   * @param options the device and thread counts
   * @return this run
   */
  public TrainingRun session(SessionOptions options) {
    this.session = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Adds callbacks; they run in this order, before the built-in ones.
   *
   * @param more the callbacks
   * @return this run
   */
  public TrainingRun callbacks(Callback... more) {
    for (Callback c : more) {
      callbacks.add(Objects.requireNonNull(c, "callback"));
    }
    return this;
  }

  /**
   * Whether to continue from the newest good checkpoint in the run directory (default false).
   *
   * @param on true to resume
   * @return this run
   */
  public TrainingRun resume(boolean on) {
    this.resume = on;
    return this;
  }

  /**
   * Whether a fresh run may replace an earlier run in the run directory (its checkpoints, history,
   * TensorBoard logs and export marker are removed first; other files stay). Without it, and
   * without {@link #resume}, a run directory holding an earlier run is refused ({@link RunDirectory}).
   *
   * @param on replace an earlier run
   * @return this
   */
  public TrainingRun overwrite(boolean on) {
    this.overwrite = on;
    return this;
  }

  /**
   * Where messages go (resuming, restored weights, the first step's time); default nowhere.
   *
   * @param writer the writer, or null for none
   * @return this run
   */
  public TrainingRun log(PrintWriter writer) {
    this.log = Objects.requireNonNull(writer, "writer");
    return this;
  }

  /**
   * Shows progress: one line per epoch on {@code lines}, and a bar per epoch on {@code terminal}
   * when it is not null.
   *
   * @param lines receives one line per epoch
   * @param terminal draws the progress bar, or null for none
   * @return this run
   */
  public TrainingRun progress(PrintWriter lines, PrintStream terminal) {
    this.progress = new ProgressBar(lines, terminal);
    return this;
  }

  /**
   * Whether to write TensorBoard event files into {@code <run-dir>/tensorboard/} (default on), and
   * batch-level scalars every {@code batchFrequency} steps (0: epoch scalars only).
   *
   * @param on true to write event files
   * @param batchFrequency write batch scalars every this many steps, &gt;= 0
   * @return this run
   * @throws ConfigException when {@code batchFrequency} is negative
   */
  public TrainingRun tensorBoard(boolean on, int batchFrequency) {
    if (batchFrequency < 0) {
      throw new ConfigException("TensorBoard batch frequency: must be >= 0, found " + batchFrequency);
    }
    this.tensorBoard = on;
    this.tensorBoardBatchFrequency = batchFrequency;
    return this;
  }

  /**
   * The recipe.
   *
   * @return the recipe
   */
  public Recipe recipe() {
    return recipe;
  }

  /**
   * The run directory.
   *
   * @return the run directory
   */
  public Path runDirectory() {
    return runDirectory;
  }

  /**
   * The session options.
   *
   * @return the session options
   */
  public SessionOptions session() {
    return session;
  }

  /**
   * The recipe's seeded, stratified split of the dataset's training images into training and
   * validation sets.
   *
   * @return the training and validation images
   * @throws ConfigException when the validation split does not fit the training set
   */
  public Split split() {
    requireData();
    if (validation != null) {
      if (!validation.spec().sameImages(data.spec()) || validation.spec().classes() != data.spec().classes()) {
        throw new ConfigException("validation data: " + validation.spec().describeShape() + " images of "
            + validation.spec().classes() + " classes do not match the dataset's " + data.spec().describeShape()
            + " of " + data.spec().classes());
      }
      return new Split(data.train(), validation);
    }
    TrainingSpec t = recipe.training();
    try {
      return t.validationIsCount()
          ? Splits.stratified(data.train(), (int) Math.round(t.validationSplit()), t.seed())
          : Splits.stratified(data.train(), t.validationSplit(), t.seed());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("training.validation_split: " + e.getMessage());
    }
  }

  /**
   * Trains (or, with {@link #resume}, continues) and returns the result, whose weights are restored
   * from the best epoch under early stopping, else the last.
   *
   * @return the history and the checkpoint whose weights are the result
   * @throws ConfigException for settings that do not fit together or the dataset
   * @throws TrainingDivergedException when the loss becomes NaN or infinite
   * @throws dev.fmnist.StorageException when checkpoints or history files cannot be written
   */
  public TrainingResult fit() {
    RunDirectory.requireUsable(runDirectory, recipe, resume, overwrite);
    Split split = split();
    if (overwrite) {
      RunDirectory.clear(runDirectory); // only now that the run's settings are known to fit
    }
    AtomicFiles.deleteTemporaries(runDirectory); // what a killed run's history or marker writes left
    List<Callback> all = new ArrayList<>(callbacks);
    all.add(new EpochRecorder());
    all.add(new TerminateOnNaN());
    TrainingSpec t = recipe.training();
    if (t.earlyStopping().enabled()) {
      all.add(new EarlyStopping(t.earlyStopping()));
    }
    if (t.schedule().type() == ScheduleSpec.Type.PLATEAU) {
      all.add(new PlateauSchedule(t.adam().learningRate(), t.schedule()));
    }
    if (tensorBoard) {
      all.add(new TensorBoard(tensorBoardBatchFrequency, true));
    }
    all.add(new ModelCheckpoint());
    all.add(new HistoryWriter());
    if (progress != null) {
      all.add(progress);
    }
    CheckpointStore store = new CheckpointStore(runDirectory.resolve("checkpoints"), t.checkpointsKept());
    return new FitLoop(session, store, resume, log, all, runDirectory).fit(recipe, split);
  }

  private void requireData() {
    if (data == null) {
      throw new ConfigException("training run of " + recipe.name() + ": no dataset given (call data(...))");
    }
  }
}
