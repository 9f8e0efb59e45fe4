package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.Split;
import dev.fmnist.data.Splits;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.train.CheckpointStore;
import dev.fmnist.train.HistoryFiles;
import dev.fmnist.train.ProgressListener;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.Trainer;
import dev.fmnist.train.TrainingResult;
import dev.fmnist.AtomicFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fmnist train}: trains a recipe, checkpointing every epoch, and exports a SavedModel. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model from a YAML recipe, write a checkpoint every epoch, and export a SavedModel to"
          + " <out>/<name>/<version>/.",
      "Example: fmnist train --config configs/cnn.yaml --epochs 5"
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", defaultValue = "configs/cnn.yaml",
      description = "Recipe (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "Override training.batch_size.")
  Integer batchSize;

  @Option(names = "--seed", paramLabel = "S", description = "Override training.seed.")
  Long seed;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Dataset directory (default: $FMNIST_DATA, data/fashion-mnist/, /usr/share/datasets/fashion-mnist/).")
  Path dataDir;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "savedmodels",
      description = "Where SavedModels go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Checkpoints and history (default: runs/<name>).")
  Path runDir;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Compute device (default: ${DEFAULT-VALUE}); gpu needs the -Pgpu build and a CUDA GPU.")
  SessionOptions.Device device;

  @Option(names = "--threads", paramLabel = "N",
      description = "Intra-op threads (default: all cores; 0 lets TensorFlow choose).")
  Integer threads;

  @Option(names = "--precision", paramLabel = "float32|bf16",
      description = "Override training.precision: bf16 runs convolutions and matrix products in bfloat16 "
          + "(oneDNN auto-mixed precision; CPUs with AVX512-BF16 or AMX). Exports stay float32.")
  TrainingSpec.Precision precision;

  @Option(names = "--resume", description = "Continue from the newest good checkpoint in the run directory.")
  boolean resume;

  @Option(names = "--repeats", paramLabel = "N",
      description = "Train N times with seeds S, S+1, ... (each in <run-dir>/seed-<S>/, exported as <name>-seed<S>)"
          + " and report the mean and standard deviation of test accuracy. Rerunning skips finished seeds.")
  Integer repeats;

  @Override
  public Integer call() {
    PrintWriter outw = spec.commandLine().getOut();
    Recipe recipe = overrides(RecipeLoader.load(config));
    Path dir = DatasetLocator.locate(dataDir);
    FashionMnist data = FashionMnist.load(dir);
    SessionOptions session = threads == null
        ? (device == SessionOptions.Device.CPU ? SessionOptions.cpuDefault()
            : new SessionOptions(device, Runtime.getRuntime().availableProcessors(), 1))
        : new SessionOptions(device, threads, threads == 0 ? 0 : 1);
    Path run = runDir != null ? runDir : Path.of("runs", recipe.name());
    if (repeats != null) {
      return Repeats.run(this, recipe, data, dir, session, run, outw);
    }
    trainOnce(recipe, data, dir, session, run, outw);
    return 0;
  }

  /**
   * Trains and exports one run (or resumes it); returns the exported SavedModel's test metrics, or
   * null when these weights were exported before.
   */
  ModelExporter.Exported trainOnce(Recipe recipe, FashionMnist data, Path dir, SessionOptions session, Path run,
      PrintWriter outw) {
    TrainingSpec t = recipe.training();
    Split split = split(data, t, config.toString());
    AtomicFiles.deleteTemporaries(run); // what a killed run's history or marker writes left
    outw.printf(Locale.ROOT, "fmnist train %s: %d training / %d validation images from %s%n",
        recipe.name(), split.train().size(), split.validation().size(), dir);
    outw.printf(Locale.ROOT, "%s, %s; %d epochs, batch %d, seed %d, Adam lr %s (%s schedule); checkpoints in %s%n",
        session.describe(), t.precision().name().toLowerCase(Locale.ROOT), t.epochs(), t.batchSize(), t.seed(), t.adam().learningRate(),
        t.schedule().type().name().toLowerCase(Locale.ROOT), run.resolve("checkpoints"));
    outw.flush();
    Trainer trainer = new Trainer(session, new CheckpointStore(run.resolve("checkpoints"), t.checkpointsKept()),
        resume, outw, List.of(new ProgressListener(outw, System.console() != null ? System.out : null),
            new HistoryFiles(run)));
    TrainingResult result = trainer.train(recipe, split);
    double perEpoch = result.epochsThisRun() == 0 ? Double.NaN : result.history().epochs().stream()
        .skip(result.history().epochs().size() - result.epochsThisRun()).mapToDouble(e -> e.seconds()).average().orElse(Double.NaN);
    outw.printf(Locale.ROOT, "trained %d epochs in %.1fs (%.1fs per epoch this run, %.0f training samples/s)%s%n",
        result.epochsThisRun(), result.seconds(), perEpoch, result.samplesPerSecond(),
        result.stoppedEarly() ? ", stopped early" : "");
    Path marker = run.resolve(EXPORTED_MARKER);
    String exportedBefore = previousExport(marker, result.weights().dir());
    if (exportedBefore != null) {
      outw.println("nothing to do: these weights (" + result.weights().dir() + ") were already exported to "
          + exportedBefore + "; raise --epochs to train further");
      return null;
    }
    ModelExporter.Exported exported = new ModelExporter(out, outw)
        .export(result, data.sha256(), device.name().toLowerCase(Locale.ROOT), data.test());
    com.fasterxml.jackson.databind.node.ObjectNode done = Json.MAPPER.createObjectNode()
        .put("checkpoint", result.weights().dir().toString())
        .put("savedmodel", exported.dir().toString());
    AtomicFiles.write(marker, (done.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    outw.printf(Locale.ROOT, "test accuracy %.4f (%d/%d), test loss %.4f%n", exported.test().accuracy(),
        exported.test().correct(), exported.test().count(), exported.test().loss());
    return exported;
  }

  /** The recipe's seeded stratified training/validation split; {@code source} names it in errors. */
  static Split split(FashionMnist data, TrainingSpec t, String source) {
    try {
      return t.validationIsCount()
          ? Splits.stratified(data.train(), (int) Math.round(t.validationSplit()), t.seed())
          : Splits.stratified(data.train(), t.validationSplit(), t.seed());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": training.validation_split: " + e.getMessage());
    }
  }

  /** Written in the run directory after an export, so that resuming a finished run exports once. */
  static final String EXPORTED_MARKER = "exported.json";

  /** Created on first use: a static mapper here cost every command 0.15 s of start-up. */
  private static final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
  }

  /** The SavedModel already exported from {@code checkpoint}, or null. */
  private static String previousExport(Path marker, Path checkpoint) {
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n = Json.MAPPER.readTree(marker.toFile());
      boolean same = checkpoint.toString().equals(n.path("checkpoint").asText());
      return same && Files.isDirectory(Path.of(n.path("savedmodel").asText())) ? n.path("savedmodel").asText() : null;
    } catch (java.io.IOException e) {
      return null; // unreadable marker: export again
    }
  }

  private Recipe overrides(Recipe r) {
    TrainingSpec t = r.training();
    try {
      if (epochs != null) {
        t = t.withEpochs(epochs);
      }
      if (batchSize != null) {
        t = t.withBatchSize(batchSize);
      }
      if (seed != null) {
        t = t.withSeed(seed);
      }
      if (precision != null) {
        t = t.withPrecision(precision);
      }
    } catch (ConfigException e) {
      throw new ConfigException("--" + e.getMessage().replace('_', '-'));
    }
    return r.withTraining(t);
  }
}
