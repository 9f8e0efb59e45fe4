package dev.fmnist.savedmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fmnist.ModelException;
import dev.fmnist.data.ImageFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The manifest fmnist stores with a model, {@code assets.extra/fmnist.json}: name, class names,
 * recipe, seed, metrics, dataset hashes, versions. Foreign models have none. Fields other than the
 * ones read here are kept in {@link #json()}.
 */
public record ModelManifest(
    String name, List<String> classNames, Map<String, Double> metrics, JsonNode json) {
  /** Where the manifest lives, relative to the SavedModel directory. */
  public static final String PATH = "assets.extra/fmnist.json";

  /**
   * The largest manifest or history file read, in bytes (16 MiB; fmnist writes a few KB): a JSON
   * tree takes many times its file's size in memory.
   */
  public static final long MAX_FILE_BYTES = AssetsJson.MAX_FILE_BYTES;

  /**
   * Reads the manifest of {@code modelDir}, if it has one.
   *
   * @param modelDir the SavedModel directory
   * @return the manifest, or empty when the model has none
   * @throws ModelException if the file exists but is not a JSON object, or is larger than {@link
   *     #MAX_FILE_BYTES}
   */
  public static Optional<ModelManifest> read(Path modelDir) {
    Path file = modelDir.resolve(PATH);
    return AssetsJson.read(file, "a manifest", JsonNode::isObject, "a JSON object").map(ModelManifest::of);
  }

  private static ModelManifest of(JsonNode root) {
    List<String> names = new ArrayList<>();
    root.path("class_names").forEach(n -> names.add(n.asText()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    root.path("metrics")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
              }
            });
    return new ModelManifest(root.path("name").asText(""), List.copyOf(names), Map.copyOf(metrics), root);
  }

  /**
   * The image size the model was trained on, {@code {height, width, channels}}, if recorded
   * (manifests before fmnist trained other datasets have none: Fashion-MNIST's 28x28x1).
   *
   * @return the height, width and channels, or empty
   */
  public Optional<int[]> input() {
    JsonNode in = json.path("input");
    if (!in.path("height").canConvertToInt() || !in.path("width").canConvertToInt()
        || !in.path("channels").canConvertToInt()) {
      return Optional.empty();
    }
    return Optional.of(new int[] {in.path("height").asInt(), in.path("width").asInt(), in.path("channels").asInt()});
  }

  /**
   * A metric such as {@code test_accuracy}, if recorded.
   *
   * @param key the metric's name
   * @return its value, or empty when absent or not a number
   */
  public OptionalDouble metric(String key) {
    Double v = metrics.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * The number of test images classified correctly when the model was exported, if recorded.
   *
   * @return the count, or empty
   */
  public OptionalLong testCorrect() {
    JsonNode n = json.path("metrics").path("test_correct");
    return n.canConvertToLong() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
  }

  /**
   * A top-level text field such as {@code device} or {@code created}, or "".
   *
   * @param key the field's name
   * @return its text
   */
  public String text(String key) {
    JsonNode n = json.path(key);
    return n.isValueNode() ? n.asText() : "";
  }

  /**
   * How the training images were stored ({@code dataset.format}: {@code fashion-mnist}, {@code idx},
   * {@code folder}), or null when the manifest does not say (fmnist before it trained other datasets).
   *
   * @return the format's name, or null
   */
  public String datasetFormat() {
    JsonNode n = json.path("dataset").path("format");
    return n.isTextual() ? n.asText() : null;
  }

  /**
   * How image files are converted for this model: as its training images were (see {@link ImageFiles.Conversion}).
   *
   * @param manifestOrNull a model's manifest, or null
   * @return the rule for its training images' format
   */
  public static ImageFiles.Conversion conversion(ModelManifest manifestOrNull) {
    return ImageFiles.Conversion.forDatasetFormat(manifestOrNull == null ? null : manifestOrNull.datasetFormat());
  }
}
