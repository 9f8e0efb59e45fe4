package dev.fmnist.savedmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads the JSON files fmnist stores beside a model, in {@code assets.extra/}. */
final class AssetsJson {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private AssetsJson() {}

  /**
   * The JSON document in {@code file}, or empty when there is no such file.
   *
   * @param expected what the document must be, e.g. {@link JsonNode#isObject}
   * @param expectation what it must be, for the message, e.g. {@code a JSON object}
   * @throws ModelException when the file is not valid JSON or not what is expected
   */
  static Optional<JsonNode> read(Path file, Predicate<JsonNode> expected, String expectation) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelException(file + ": not valid JSON: " + FmnistException.firstLine(e.getMessage()), e);
    }
    if (root == null) {
      root = MissingNode.getInstance();
    }
    if (!expected.test(root)) {
      throw new ModelException(file + ": expected " + expectation);
    }
    return Optional.of(root);
  }
}
