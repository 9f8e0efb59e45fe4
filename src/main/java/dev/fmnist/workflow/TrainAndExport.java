package dev.fmnist.workflow;

import dev.fmnist.TerminalText;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.Datasets;
import dev.fmnist.data.Split;
import dev.fmnist.export.ExportSource;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.train.Callback;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.TrainingResult;
import dev.fmnist.train.TrainingRun;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code fmnist train} does for one run: train (or resume) a recipe into its run directory,
 * then export the result once, telling a log what happens (the run's header, an epoch line each,
 * the training summary, the export and its test accuracy). Resuming a run whose weights were
 * already exported trains nothing and exports nothing.
 */
public final class TrainAndExport {
  private final Dataset data;
  private final SessionOptions session;
  private final Path savedModels;
  private final PrintWriter log;
  private final PrintStream terminal;
  private final List<Callback> callbacks;
  private boolean tensorBoard = true;
  private int tensorBoardBatchFrequency;
  private boolean overwrite;

  /**
   * @param data the dataset
   * @param session device and threads
   * @param savedModels where SavedModels go, e.g. {@code savedmodels/}
   * @param log where the lines go
   * @param terminal where to draw progress bars, or null for one line per epoch only
   * @param callbacks the user's callbacks for every run
   */
  public TrainAndExport(Dataset data, SessionOptions session, Path savedModels, PrintWriter log, PrintStream terminal,
      List<Callback> callbacks) {
    this.data = data;
    this.session = session;
    this.savedModels = savedModels;
    this.log = log;
    this.terminal = terminal;
    this.callbacks = List.copyOf(callbacks);
  }

  /**
   * Whether runs write TensorBoard logs (default on) and batch scalars every {@code batchFrequency} steps.
   *
   * @param on true to write TensorBoard logs
   * @param batchFrequency write batch scalars every this many steps; 0 for epoch scalars only
   * @return this object
   */
  public TrainAndExport tensorBoard(boolean on, int batchFrequency) {
    this.tensorBoard = on;
    this.tensorBoardBatchFrequency = batchFrequency;
    return this;
  }

  /**
   * Whether a fresh run replaces an earlier run in its run directory ({@link TrainingRun#overwrite}).
   *
   * @param on replace an earlier run
   * @return this
   */
  public TrainAndExport overwrite(boolean on) {
    this.overwrite = on;
    return this;
  }

  /**
   * What one run gave.
   *
   * @param training the training result
   * @param export the export (an earlier one, with {@code fresh} false, when these weights were
   *     exported before)
   */
  public record Outcome(TrainingResult training, ModelExporter.Exported export) {}

  /**
   * Trains {@code recipe} into {@code runDir} ({@code resume}: from its newest good checkpoint) and
   * exports the result unless it was exported before.
   *
   * @param recipe the recipe
   * @param runDir the run directory
   * @param resume true to continue from the newest good checkpoint
   * @return the training result and the export
   */
  public Outcome run(Recipe recipe, Path runDir, boolean resume) {
    TrainingRun training = TrainingRun.of(recipe).data(data).runDirectory(runDir).session(session).resume(resume)
        .overwrite(overwrite).log(log).progress(log, terminal).tensorBoard(tensorBoard, tensorBoardBatchFrequency)
        .callbacks(callbacks.toArray(Callback[]::new));
    Split split = training.split();
    TrainingSpec t = recipe.training();
    log.printf(Locale.ROOT, "fmnist train %s: %d training / %d validation images from %s%n",
        recipe.name(), split.train().size(), split.validation().size(), data.provenance().source());
    Datasets.summary(data).forEach(log::println);
    log.printf(Locale.ROOT, "%s, %s; %s, batch %d, seed %d, Adam lr %s (%s schedule); checkpoints in %s%n",
        session.describe(), t.precision().name().toLowerCase(Locale.ROOT), TerminalText.plural(t.epochs(), "epoch"),
        t.batchSize(), t.seed(), t.adam().learningRate(), t.schedule().type().name().toLowerCase(Locale.ROOT),
        runDir.resolve("checkpoints"));
    log.flush();
    TrainingResult result = training.fit();
    if (result.epochsThisRun() > 0) {
      log.printf(Locale.ROOT, "trained %s in %.1fs (%.1fs per epoch this run, %.0f training samples/s)%s%n",
          TerminalText.plural(result.epochsThisRun(), "epoch"), result.seconds(), result.secondsPerEpochThisRun(),
          result.samplesPerSecond(), result.stoppedEarly() ? ", stopped early: " + result.stopReason() : "");
    } else {
      int trained = result.history().epochs().size();
      log.println((trained == 1 ? "the 1 epoch of " + runDir + " was" : "all " + trained + " epochs of " + runDir
          + " were") + " trained before; nothing to train");
    }
    ModelExporter.Exported exported = new ModelExporter(savedModels, log)
        .exportOnce(ExportSource.of(result, session.deviceName()), data, runDir);
    if (!exported.fresh()) {
      log.println("nothing to do: these weights (" + result.weights().dir() + ") were already exported to "
          + exported.dir() + "; raise --epochs to train further");
    } else {
      log.printf(Locale.ROOT, "test accuracy %.4f (%d/%d), test loss %.4f%n", exported.test().accuracy(),
          exported.test().correct(), exported.test().count(), exported.test().loss());
    }
    log.flush();
    return new Outcome(result, exported);
  }

}
