package dev.fmnist.export;

import dev.fmnist.TerminalText;
import dev.fmnist.ModelException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.train.CheckpointStore;
import dev.fmnist.train.TrainingHistory;
import dev.fmnist.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Trained weights to export, and what the manifest says about how they were trained.
 *
 * @param recipe the recipe (its {@code model.test_time_flip} decides the exported function)
 * @param spec what the model's input images and classes are
 * @param weights the directory holding the weights: a checkpoint, or a SavedModel being re-exported
 * @param variablesPrefix the variables' checkpoint prefix inside it, for {@code Session.restore}
 * @param history the training history up to the checkpoint's run
 * @param epoch the epoch of the weights
 * @param stoppedEarly whether training stopped before its last epoch
 * @param trainingSeconds wall time of training, as far as known
 * @param samplesPerSecond training throughput, or NaN when unknown (re-export from a checkpoint)
 * @param device {@code cpu} or {@code gpu}
 * @param probe logits the training session gave for some images, which the export must reproduce;
 *     null when exporting from a checkpoint (the restored inference graph is compared instead)
 */
public record ExportSource(
    Recipe recipe,
    DatasetSpec spec,
    Path weights,
    String variablesPrefix,
    TrainingHistory history,
    int epoch,
    boolean stoppedEarly,
    double trainingSeconds,
    double samplesPerSecond,
    String device,
    TrainingResult.Probe probe) {
  /**
   * Checks that the required values are present and the epoch is in the history.
   *
   * @param recipe the recipe trained
   * @param spec what the training images were
   * @param weights the checkpoint directory holding the weights
   * @param variablesPrefix the prefix to restore the variables from
   * @param history every epoch trained
   * @param epoch the epoch of the weights, 1 to the history's size
   * @param stoppedEarly whether training stopped before its last epoch
   * @param trainingSeconds training wall time, or NaN when unknown
   * @param samplesPerSecond training throughput, or NaN when unknown
   * @param device {@code cpu} or {@code gpu}
   * @param probe the training session's logits for some images, or null
   * @throws NullPointerException when a required value is null
   * @throws IllegalArgumentException when {@code epoch} is not in the history
   */
  public ExportSource {
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(variablesPrefix, "variablesPrefix");
    Objects.requireNonNull(history, "history");
    if (epoch < 1 || epoch > history.epochs().size()) {
      throw new IllegalArgumentException("epoch " + epoch + " is not in the history of " + history.epochs().size());
    }
  }

  /**
   * This source with {@code spec} as what the training images were: a run directory's checkpoint
   * names its dataset in its recipe, and the spec is known once that dataset is opened.
   *
   * @param spec what the training images were
   * @return the same weights and history with {@code spec}
   */
  public ExportSource withSpec(DatasetSpec spec) {
    return new ExportSource(recipe, spec, weights, variablesPrefix, history, epoch, stoppedEarly, trainingSeconds,
        samplesPerSecond, device, probe);
  }

  /**
   * What {@code fit} produced, trained on {@code device}.
   *
   * @param r the result of {@link dev.fmnist.train.TrainingRun#fit}
   * @param device {@code cpu} or {@code gpu}
   * @return the source, with the result's probe
   */
  public static ExportSource of(TrainingResult r, String device) {
    return new ExportSource(r.recipe(), r.spec(), r.weights().dir(), r.weights().variablesPrefix(), r.history(),
        r.chosen().epoch(), r.stoppedEarly(),
        r.seconds(), r.samplesPerSecond(), device, r.probe());
  }

  /**
   * The weights of a run directory's checkpoint: {@code epoch}, or by default the weights training
   * would have exported ({@link TrainingHistory#resultEpoch}). {@code testTimeFlip} overrides the
   * recipe's {@code model.test_time_flip} unless null.
   *
   * @param runDir the run directory
   * @param epoch the checkpoint's epoch, or null for the result epoch
   * @param testTimeFlip whether the export averages over mirror images, or null for the recipe's
   *     choice
   * @param spec what the training images were
   * @return the source, without a probe
   * @throws ModelException when the run has no readable checkpoint of that epoch
   */
  public static ExportSource fromRunDirectory(Path runDir, Integer epoch, Boolean testTimeFlip, DatasetSpec spec) {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      throw new ModelException(runDir + ": no checkpoints/ directory (train first, or check the run directory)");
    }
    CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
    CheckpointStore.Checkpoint latest = store.listNewestFirst().stream()
        .flatMap(p -> store.find(CheckpointStore.epochOf(p)).stream()) // the newest undamaged one
        .findFirst()
        .orElseThrow(() -> new ModelException(dir + ": no readable checkpoint"));
    Recipe stored = RecipeLoader.fromJson(latest.state().recipeJson(), latest.dir().resolve("state.json").toString());
    Recipe recipe = testTimeFlip == null ? stored
        : stored.toBuilder().model(stored.model().withTestTimeFlip(testTimeFlip)).build();
    TrainingHistory latestHistory = latest.state().trainingHistory();
    int wanted = epoch != null ? epoch : latestHistory.resultEpoch(recipe.training());
    CheckpointStore.Checkpoint c = store.find(wanted)
        .orElseThrow(() -> new ModelException(dir + ": no readable checkpoint for epoch " + wanted
            + store.listNewestFirst().stream().filter(p -> CheckpointStore.epochOf(p) == wanted).findFirst()
                .flatMap(CheckpointStore::damage).map(d -> " (it is damaged: " + d + ")").orElse("")));
    TrainingHistory history = latest.state().epoch() >= wanted ? latestHistory : c.state().trainingHistory();
    boolean stoppedEarly = epoch == null && history.epochs().size() < recipe.training().epochs();
    double seconds = history.epochs().stream().mapToDouble(e -> e.seconds()).sum();
    String device = c.state().device() == null ? "cpu" : c.state().device();
    return new ExportSource(recipe, spec, c.dir(), c.variablesPrefix(), history, wanted, stoppedEarly, seconds,
        Double.NaN, device, null);
  }

  /**
   * The weights of an fmnist SavedModel, to export them again with today's graph (e.g. one written
   * before the exporter emitted {@code MaxPool}, which LiteRT's converter needs): the recipe, class
   * names, input shape, history and training facts come from its manifest, the weights from its
   * {@code variables/}. A manifest without {@code input} (fmnist before it trained other datasets)
   * means Fashion-MNIST's 28x28x1.
   *
   * @param dir an fmnist SavedModel version directory
   * @param testTimeFlip whether the export averages over mirror images, or null for the manifest
   *     recipe's choice
   * @return the source, without a probe
   * @throws ModelException when the directory is not an fmnist SavedModel with a manifest
   */
  public static ExportSource fromSavedModel(Path dir, Boolean testTimeFlip) {
    Path manifestFile = dir.resolve("assets.extra").resolve(ModelExporter.MANIFEST);
    Path historyFile = dir.resolve("assets.extra").resolve("history.json");
    if (!Files.isRegularFile(dir.resolve("saved_model.pb")) || !Files.isRegularFile(manifestFile)
        || !Files.isRegularFile(historyFile)) {
      throw new ModelException(dir + ": not an fmnist SavedModel (expected saved_model.pb and assets.extra/"
          + ModelExporter.MANIFEST + " and history.json)");
    }
    com.fasterxml.jackson.databind.JsonNode m;
    TrainingHistory history;
    try {
      m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifestFile.toFile());
      history = TrainingHistory.fromJson(Files.readAllBytes(historyFile), historyFile.toString());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new ModelException(manifestFile + ": unreadable: " + dev.fmnist.FmnistException.firstLine(e.getMessage()), e);
    }
    Recipe stored = RecipeLoader.fromJson(m.path("config").toString(), manifestFile + ": config");
    Recipe recipe = testTimeFlip == null ? stored
        : stored.toBuilder().model(stored.model().withTestTimeFlip(testTimeFlip)).build();
    java.util.List<String> names = new java.util.ArrayList<>();
    m.path("class_names").forEach(n -> names.add(n.asText()));
    com.fasterxml.jackson.databind.JsonNode in = m.path("input");
    DatasetSpec spec;
    try {
      spec = in.isObject()
          ? new DatasetSpec(m.path("dataset").path("name").asText("dataset"), in.path("height").asInt(),
              in.path("width").asInt(), in.path("channels").asInt(), names)
          : dev.fmnist.data.FashionMnist.SPEC.withClassNames(names);
    } catch (IllegalArgumentException e) {
      throw new ModelException(manifestFile + ": " + e.getMessage());
    }
    int epoch = m.path("chosen_epoch").asInt(history.epochs().size());
    if (epoch < 1 || epoch > history.epochs().size()) {
      throw new ModelException(manifestFile + ": chosen_epoch " + epoch + " is not in its history of "
          + TerminalText.plural(history.epochs().size(), "epoch"));
    }
    return new ExportSource(recipe, spec, dir, dir.resolve("variables").resolve("variables").toString(), history,
        epoch, m.path("stopped_early").asBoolean(false), m.path("training_seconds").asDouble(Double.NaN),
        m.path("samples_per_second").asDouble(Double.NaN), m.path("device").asText("cpu"), null);
  }
}
