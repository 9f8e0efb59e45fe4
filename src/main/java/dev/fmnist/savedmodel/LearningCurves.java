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
 * Missing values (no validation split) are NaN.
 */
public record LearningCurves(List<Epoch> epochs) {
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
   */
  public LearningCurves {
    epochs = List.copyOf(epochs);
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
   * @return the curves, or empty when the model has no history file
   * @throws ModelException if the file exists but is not {@code {"epochs": [...]}}
   */
  public static Optional<LearningCurves> read(Path modelDir) {
    Path file = modelDir.resolve(PATH);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
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
