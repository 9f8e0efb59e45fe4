package dev.fmnist.cli;

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
      "Export a SavedModel from a training checkpoint (the latest, or --epoch N) to <out>/<name>/<version>/.",
      "Example: fmnist export --run-dir runs/cnn --epoch 12"
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run-dir", paramLabel = "DIR", required = true,
      description = "The training run directory (holds checkpoints/), e.g. runs/cnn.")
  Path runDir;

  @Option(names = "--epoch", paramLabel = "N", description = "Checkpoint epoch (default: the latest).")
  Integer epoch;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "savedmodels",
      description = "Where SavedModels go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory, for the test-set metrics in the manifest.")
  Path dataDir;

  @Override
  public Integer call() {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      throw FmnistException.badInput(runDir + ": no checkpoints/ directory (train first, or check --run-dir)");
    }
    CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
    int wanted = epoch != null ? epoch
        : store.listNewestFirst().stream().findFirst().map(p -> Integer.parseInt(p.getFileName().toString().substring(6)))
            .orElseThrow(() -> FmnistException.badInput(dir + ": no checkpoints"));
    CheckpointStore.Checkpoint c = store.find(wanted)
        .orElseThrow(() -> FmnistException.badInput(dir + ": no readable checkpoint for epoch " + wanted));
    Recipe recipe = RecipeLoader.fromJson(c.state().recipeJson(), c.dir().resolve("state.json").toString());
    TrainingHistory history = new TrainingHistory(c.state().history());
    TrainingResult result = new TrainingResult(recipe, history, c, history.last(), false, Double.NaN, Double.NaN, null);
    FashionMnist data = FashionMnist.load(DatasetLocator.locate(dataDir));
    ModelExporter.Exported e = new ModelExporter(out, spec.commandLine().getOut())
        .export(result, data.sha256(), "cpu", data.test());
    spec.commandLine().getOut().printf(Locale.ROOT, "exported epoch %d of %s to %s%n", wanted, recipe.name(), e.dir());
    return 0;
  }
}
