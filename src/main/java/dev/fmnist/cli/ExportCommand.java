package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.export.ExportSource;
import dev.fmnist.export.ModelExporter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fmnist export}: exports a SavedModel from a training checkpoint, or again from a SavedModel. */
@Command(
    name = "export",
    description = {
      "Export a SavedModel from a training checkpoint to <out>/<name>/<version>/: by default the weights training would"
          + " have exported (the best epoch under early stopping, else the latest), or those of --epoch N."
          + " With --from-savedmodel, export an fmnist SavedModel's weights again with today's graph.",
      "Example: fmnist export --run-dir runs/cnn --epoch 12"
    })
public final class ExportCommand extends FmnistSubcommand {

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "The training run directory (holds checkpoints/), e.g. runs/cnn.")
  Path runDir;

  @Option(names = "--from-savedmodel", paramLabel = "DIR",
      description = "Instead of a checkpoint, an fmnist SavedModel (e.g. savedmodels/cnn/1) whose weights, recipe and"
          + " history are exported again as a new version.")
  Path fromSavedModel;

  @Option(names = "--epoch", paramLabel = "N", description = "Checkpoint epoch (default: the best under early stopping, else the latest).")
  Integer epoch;

  @Mixin ExportDirOption out;

  @Mixin DataDirOption dataDir;

  @Option(names = "--test-time-flip", negatable = true,
      description = "Export a model that averages each image's logits with its mirror image's (test-time"
          + " augmentation), or with --no-test-time-flip one that does not (default: the recipe's model.test_time_flip).")
  Boolean testTimeFlip;

  @Override
  public Integer call() {
    if ((runDir == null) == (fromSavedModel == null)) {
      throw new ConfigException("export: give either --run-dir DIR or --from-savedmodel DIR");
    }
    if (fromSavedModel != null && epoch != null) {
      throw new ConfigException("--epoch: only with --run-dir (a SavedModel holds one epoch's weights)");
    }
    AtomicFiles.requireWritableDirectory(out.dir); // before any work
    if (fromSavedModel != null) {
      Classifiers.reading(fromSavedModel); // nothing is written inside the model being exported again
    }
    ExportSource source = runDir != null
        ? ExportSource.fromRunDirectory(runDir, epoch, testTimeFlip, FashionMnist.SPEC)
        : ExportSource.fromSavedModel(fromSavedModel, testTimeFlip);
    dataDir.registerReading(source.recipe()); // nor inside its dataset
    AtomicFiles.requireWritableDirectory(out.dir); // again, now that the inputs are known: never inside them
    Dataset data = dataDir.open(source.recipe(), spec.commandLine().getOut());
    if (runDir != null) { // the checkpoint's recipe names the dataset, which gives the weights' image spec
      source = source.withSpec(data.spec());
    }
    ModelExporter.Exported e = new ModelExporter(out.dir, spec.commandLine().getOut()).export(source, data);
    spec.commandLine().getOut().printf(Locale.ROOT, "exported epoch %d of %s to %s%n", source.epoch(),
        source.recipe().name(), e.dir());
    return 0;
  }
}
