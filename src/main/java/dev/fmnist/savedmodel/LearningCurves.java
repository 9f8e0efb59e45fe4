package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import com.fasterxml.jackson.databind.JsonNode;
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

  /**
   * Copies the list.
   *
   * @param epochs one entry per epoch, in order
   * @param skipped why the history was not read, or null when it was
   */
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

  /**
   * Whether any epoch has validation numbers.
   *
   * @return true when some epoch's validation loss or accuracy is not NaN
   */
  public boolean hasValidation() {
    return epochs.stream().anyMatch(e -> !Double.isNaN(e.valLoss()) || !Double.isNaN(e.valAccuracy()));
  }

  /**
   * Reads the history of {@code modelDir}, if it has one.
   *
   * @param modelDir the SavedModel directory
   * @return the curves, or empty when the model has no history file; empty curves saying why
   *     ({@link #skipped}) when the file is larger than {@link ModelManifest#MAX_FILE_BYTES}
   * @throws ModelException if the file exists but is not {@code {"epochs": [...]}}
   */
  public static Optional<LearningCurves> read(Path modelDir) {
    Path file = modelDir.resolve(PATH);
    Optional<String> tooLarge = AssetsJson.oversize(file, "a history");
    if (tooLarge.isPresent()) {
      return Optional.of(new LearningCurves(List.of(), tooLarge.get() + "; learning curves left out"));
    }
    return AssetsJson.read(file, "a history", root -> root.path("epochs").isArray(), "{\"epochs\": [...]}")
        .map(LearningCurves::of);
  }

  private static LearningCurves of(JsonNode root) {
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
    return new LearningCurves(list);
  }

  private static double num(JsonNode e, String key) {
    JsonNode n = e.path(key);
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
