package dev.fmnist.savedmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import dev.fmnist.SmallFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads the JSON files fmnist stores beside a model, in {@code assets.extra/}. */
final class AssetsJson {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The largest file read, in bytes (16 MiB; fmnist writes a few KB): a JSON tree takes many times its file's size in memory. */
  static final long MAX_FILE_BYTES = 16L << 20;

  private AssetsJson() {}

  /**
   * Why {@code file} is not read, when it is larger than {@link #MAX_FILE_BYTES}.
   *
   * @param what what the file is, for the message, e.g. {@code a manifest}
   * @return {@code <file>: <size> bytes, larger than the 16 MB fmnist reads from <what>}, or empty
   *     when the file is absent or small enough
   */
  static Optional<String> oversize(Path file, String what) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
        return Optional.of(SmallFiles.tooLarge(file, Files.size(file), MAX_FILE_BYTES, what));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new ModelException(file + ": cannot read: " + FmnistException.firstLine(e.getMessage()), e);
    }
  }

  /**
   * The JSON document in {@code file}, or empty when there is no such file.
   *
   * @param what what the file is, for messages, e.g. {@code a manifest}
   * @param expected what the document must be, e.g. {@link JsonNode#isObject}
   * @param expectation what it must be, for the message, e.g. {@code a JSON object}
   * @throws ModelException when the file is larger than {@link #MAX_FILE_BYTES}, not valid JSON or not
   *     what is expected
   */
  static Optional<JsonNode> read(Path file, String what, Predicate<JsonNode> expected, String expectation) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = SmallFiles.read(file, MAX_FILE_BYTES, what, ModelException::new);
    } catch (IOException e) {
      throw new ModelException(file + ": cannot read: " + FmnistException.firstLine(e.getMessage()), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
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
