package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The per-epoch training history stored with an fmnist model, {@code assets.extra/history.json}.
 * Missing values (no validation split) are NaN. A history larger than {@link
 * ModelManifest#MAX_FILE_BYTES} is not read: the curves are then empty and {@code skipped} says
 * why, and the evaluation goes on without them.
 *
 * @param epochs the epochs, in order
 * @param skipped why the history was not read, or null when it was
 */
public record LearningCurves(List<Epoch> epochs, String skipped) {
  /** Where the history lives, relative to the SavedModel directory. */
  public static final String PATH = "assets.extra/history.json";

  /** One epoch's numbers. */
  public record Epoch(
      int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
      double learningRate) {}

  public LearningCurves {
    epochs = List.copyOf(epochs);
  }

  /**
   * Curves that were read.
   *
   * @param epochs the epochs, in order
   */
  public LearningCurves(List<Epoch> epochs) {
    this(epochs, null);
  }

  /** Whether any epoch has validation numbers. */
  public boolean hasValidation() {
    return epochs.stream().anyMatch(e -> !Double.isNaN(e.valLoss()) || !Double.isNaN(e.valAccuracy()));
  }

  /**
   * Reads the history of {@code modelDir}, if it has one.
   *
   * @return the curves; empty ones saying why when the file is larger than {@link
   *     ModelManifest#MAX_FILE_BYTES}
   * @throws FmnistException (bad input) if the file exists but is not {@code {"epochs": [...]}}
   */
  public static Optional<LearningCurves> read(Path modelDir) {
    Path file = modelDir.resolve(PATH);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      if (ModelManifest.tooLarge(file)) {
        return Optional.of(new LearningCurves(List.of(), String.format(java.util.Locale.ROOT,
            "%s: %,d bytes, larger than the %d MB fmnist reads from a history; learning curves left out", file,
            Files.size(file), ModelManifest.MAX_FILE_BYTES >> 20)));
      }
      root = JsonMapper.builder().build().readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelException(
          file + ": not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          e);
    }
    if (root == null || !root.path("epochs").isArray()) {
      throw new ModelException(file + ": expected {\"epochs\": [...]}");
    }
    List<Epoch> list = new ArrayList<>();
    int i = 0;
    for (JsonNode e : root.path("epochs")) {
      i++;
      list.add(
          new Epoch(
              e.path("epoch").canConvertToInt() ? e.path("epoch").asInt() : i,
              num(e, "loss"),
              num(e, "accuracy"),
              num(e, "val_loss"),
              num(e, "val_accuracy"),
              num(e, "learning_rate")));
    }
    return Optional.of(new LearningCurves(list));
  }

  private static double num(JsonNode e, String key) {
    JsonNode n = e.path(key);
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
