package dev.fmnist.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code exported.json} in a run (or sweep) directory: which checkpoint was exported to which
 * SavedModel, so that resuming a finished run, or collecting a finished sweep, exports once.
 * One schema: {@code {"checkpoint": ..., "savedmodel": ...}}.
 */
public final class ExportMarker {
  /** The file name. */
  public static final String FILE = "exported.json";

  private ExportMarker() {}

  /**
   * Records that {@code checkpoint} was exported to {@code savedModel}.
   *
   * @param dir the run directory the marker is written into
   * @param checkpoint the checkpoint directory exported
   * @param savedModel the SavedModel version directory written
   * @throws dev.fmnist.StorageException when the marker cannot be written
   */
  public static void write(Path dir, Path checkpoint, Path savedModel) {
    ObjectNode n = Json.MAPPER.createObjectNode()
        .put("checkpoint", checkpoint.toString())
        .put("savedmodel", savedModel.toString());
    AtomicFiles.write(dir.resolve(FILE), (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The SavedModel {@code checkpoint} was exported to, if the marker says so and it still exists.
   *
   * @param dir the run directory holding the marker
   * @param checkpoint the checkpoint about to be exported
   * @return the earlier SavedModel, or empty when there is none for this checkpoint
   */
  public static Optional<Path> previous(Path dir, Path checkpoint) {
    Path marker = dir.resolve(FILE);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(marker.toFile());
      Path saved = Path.of(n.path("savedmodel").asText());
      boolean same = checkpoint.toString().equals(n.path("checkpoint").asText());
      return same && Files.isDirectory(saved) ? Optional.of(saved) : Optional.empty();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return Optional.empty(); // unreadable marker: export again
    }
  }

  /** Created on first use: a static mapper cost every command 0.15 s of start-up. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
}
