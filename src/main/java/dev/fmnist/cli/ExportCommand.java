package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.train.CheckpointStore;
import dev.fmnist.train.TrainingHistory;
import dev.fmnist.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fmnist export}: re-exports a SavedModel from a training checkpoint. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a SavedModel from a training checkpoint to <out>/<name>/<version>/: by default the weights training would"
          + " have exported (the best epoch under early stopping, else the latest), or those of --epoch N.",
      "Example: fmnist export --run-dir runs/cnn --epoch 12"
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run-dir", paramLabel = "DIR", required = true,
      description = "The training run directory (holds checkpoints/), e.g. runs/cnn.")
  Path runDir;

  @Option(names = "--epoch", paramLabel = "N", description = "Checkpoint epoch (default: the best under early stopping, else the latest).")
  Integer epoch;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "savedmodels",
      description = "Where SavedModels go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory, for the test-set metrics in the manifest.")
  Path dataDir;

  @Option(names = "--test-time-flip", negatable = true,
      description = "Export a model that averages each image's logits with its mirror image's (test-time"
          + " augmentation), or with --no-test-time-flip one that does not (default: the recipe's model.test_time_flip).")
  Boolean testTimeFlip;

  @Override
  public Integer call() {
    Exported e = exportRun(runDir, epoch, testTimeFlip, out, () -> FashionMnist.load(DatasetLocator.locate(dataDir)),
        spec.commandLine().getOut());
    spec.commandLine().getOut().printf(Locale.ROOT, "exported epoch %d of %s to %s%n", e.epoch(), e.name(), e.saved().dir());
    return 0;
  }

  /** What {@link #exportRun} exported: the epoch, the recipe's name, the SavedModel. */
  record Exported(int epoch, String name, ModelExporter.Exported saved) {}

  /**
   * Exports a run directory's checkpoint: {@code epoch}, or by default the weights training would
   * have exported (the best epoch under early stopping, else the latest). {@code testTimeFlip}
   * overrides the recipe's {@code model.test_time_flip} unless null.
   */
  static Exported exportRun(Path runDir, Integer epoch, Boolean testTimeFlip, Path out, java.util.function.Supplier<FashionMnist> data,
      java.io.PrintWriter log) {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(runDir + ": no checkpoints/ directory (train first, or check --run-dir)");
    }
    CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
    CheckpointStore.Checkpoint latest = store.listNewestFirst().stream()
        .flatMap(p -> store.find(CheckpointStore.epochOf(p)).stream()) // the newest undamaged one
        .findFirst()
        .orElseThrow(() -> new ConfigException(dir + ": no readable checkpoint"));
    Recipe stored = RecipeLoader.fromJson(latest.state().recipeJson(), latest.dir().resolve("state.json").toString());
    Recipe recipe = testTimeFlip == null ? stored
        : new Recipe(stored.name(), stored.description(), stored.model().withTestTimeFlip(testTimeFlip), stored.training());
    // By default, the weights training would have exported: the best epoch under early stopping.
    int wanted = epoch != null ? epoch
        : recipe.training().earlyStopping().enabled() && latest.state().bestEpoch() > 0
            ? latest.state().bestEpoch() : latest.state().epoch();
    CheckpointStore.Checkpoint c = store.find(wanted)
        .orElseThrow(() -> new ConfigException(dir + ": no readable checkpoint for epoch " + wanted
            + store.listNewestFirst().stream().filter(p -> CheckpointStore.epochOf(p) == wanted).findFirst()
                .flatMap(CheckpointStore::damage).map(d -> " (it is damaged: " + d + ")").orElse("")));
    TrainingHistory history = new TrainingHistory(
        latest.state().epoch() >= wanted ? latest.state().history() : c.state().history());
    boolean stoppedEarly = epoch == null && history.epochs().size() < recipe.training().epochs();
    double seconds = history.epochs().stream().mapToDouble(e -> e.seconds()).sum();
    TrainingResult result = new TrainingResult(recipe, history, c, history.epochs().get(wanted - 1), stoppedEarly,
        0, seconds, Double.NaN, null);
    FashionMnist d = data.get();
    ModelExporter.Exported e = new ModelExporter(out, log).export(result, d.sha256(), "cpu", d.test());
    return new Exported(wanted, recipe.name(), e);
  }
}
