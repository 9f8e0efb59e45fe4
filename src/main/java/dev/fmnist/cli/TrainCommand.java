package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.model.ModelFootprint;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.Dataset;
import dev.fmnist.workflow.SeedRepeats;
import dev.fmnist.workflow.TrainAndExport;
import java.util.List;
import dev.fmnist.train.RunDirectory;
import dev.fmnist.train.SessionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fmnist train}: trains a recipe, checkpointing every epoch, and exports a SavedModel. */
@Command(
    name = "train",
    description = {
      "Train a model from a YAML recipe, write a checkpoint every epoch, and export a SavedModel to"
          + " <out>/<name>/<version>/.",
      "Example: fmnist train --config configs/cnn.yaml --epochs 5"
    })
public final class TrainCommand extends FmnistSubcommand {

  @Option(names = "--config", paramLabel = "FILE", defaultValue = "configs/cnn.yaml",
      description = "Recipe (default: ${DEFAULT-VALUE}).")
  Path config;

  @Mixin TrainingOptions training;

  @Option(names = "--batch-size", paramLabel = "N", description = "Override training.batch_size.")
  Integer batchSize;

  @Option(names = "--seed", paramLabel = "S", description = "Override training.seed.")
  Long seed;

  @Mixin DataDirOption data;

  @Mixin ExportDirOption out;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Checkpoints and history (default: runs/<name>).")
  Path runDir;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Compute device (default: ${DEFAULT-VALUE}); gpu needs the -Pgpu build and a CUDA GPU.")
  SessionOptions.Device device;

  @Option(names = "--precision", paramLabel = "float32|bf16",
      description = "Override training.precision: bf16 runs convolutions and matrix products in bfloat16 "
          + "(oneDNN auto-mixed precision; CPUs with AVX512-BF16 or AMX). Exports stay float32.")
  TrainingSpec.Precision precision;

  @Option(names = "--resume", description = "Continue from the newest good checkpoint in the run directory.")
  boolean resume;

  @Option(names = "--overwrite",
      description = "Replace an earlier run in the run directory: its checkpoints, history, TensorBoard logs"
          + " and export marker are removed first (other files stay). Without it (or --resume) a run"
          + " directory holding an earlier run is refused.")
  boolean overwrite;

  @Option(names = "--repeats", paramLabel = "N",
      description = "Train N times with seeds S, S+1, ... (each in <run-dir>/seed-<S>/, exported as <name>-seed<S>)"
          + " and report the mean and standard deviation of test accuracy. Rerunning skips finished seeds.")
  Integer repeats;

  @Option(names = "--tensorboard-batches", paramLabel = "N", defaultValue = "0",
      description = "Also write batch-level TensorBoard scalars every N steps (default: 0, epoch scalars only).")
  int tensorBoardBatches;

  @Override
  public Integer call() {
    try {
      return train();
    } catch (ConfigException e) {
      throw RecipeLoader.naming(config, e);
    }
  }

  private int train() {
    PrintWriter outw = spec.commandLine().getOut();
    Recipe recipe = overrides(RecipeLoader.load(config));
    ModelFootprint.checkRecipe(recipe, config.toString());
    // Options first, then outputs, before the dataset is read and anything trained.
    if (repeats != null && repeats < 1) {
      throw new ConfigException("--repeats: must be >= 1, found " + repeats);
    }
    if (tensorBoardBatches < 0) {
      throw new ConfigException("--tensorboard-batches: must be >= 0, found " + tensorBoardBatches);
    }
    SessionOptions session = SessionOptions.of(device, training.threads);
    Path run = runDir != null ? runDir : Path.of("runs", recipe.name());
    if (repeats != null && overwrite) {
      throw new ConfigException("--overwrite: not with --repeats (each seed's run directory resumes; remove "
          + run + " to start again)");
    }
    data.registerReading(recipe); // no output inside the dataset
    AtomicFiles.requireWritableDirectory(out.dir);
    if (repeats != null) {
      AtomicFiles.requireWritableDirectory(run);
    } else {
      RunDirectory.requireUsable(run, recipe, resume, overwrite);
    }
    Dataset dataset = data.open(recipe, outw);
    if (repeats != null) {
      SeedRepeats.Summary s = new SeedRepeats(trainer(dataset, session, outw)).run(recipe, run, repeats, outw);
      outw.println();
      outw.print(s.markdown());
      outw.println("wrote " + run.resolve(SeedRepeats.MARKDOWN) + " and " + SeedRepeats.JSON_FILE);
      outw.flush();
      return 0;
    }
    trainer(dataset, session, outw).run(recipe, run, resume);
    return 0;
  }

  private TrainAndExport trainer(Dataset data, SessionOptions session, PrintWriter outw) {
    return new TrainAndExport(data, session, out.dir, outw, System.console() != null ? System.out : null, List.of())
        .tensorBoard(training.tensorBoard, tensorBoardBatches).overwrite(overwrite);
  }

  private Recipe overrides(Recipe r) {
    try {
      return r.toBuilder().training(t -> {
        if (training.epochs != null) {
          t.epochs(training.epochs);
        }
        if (batchSize != null) {
          t.batchSize(batchSize);
        }
        if (seed != null) {
          t.seed(seed);
        }
        if (precision != null) {
          t.precision(precision);
        }
        return t;
      }).build();
    } catch (ConfigException e) {
      throw new ConfigException("--" + e.getMessage().replace('_', '-'));
    }
  }
}
