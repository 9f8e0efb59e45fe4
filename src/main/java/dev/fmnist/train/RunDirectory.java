package dev.fmnist.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.StorageException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.train.tensorboard.TensorBoardLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run directory belongs to one run. A fresh run (no resume) into a directory that holds an
 * earlier run's checkpoints, history or export marker is refused unless told to overwrite it, which
 * removes the entries fmnist writes there (and nothing else); a resumed run must have the
 * checkpoint's recipe, except for more (or fewer) {@code training.epochs} and the keys that do not
 * change what is trained ({@link #RESUMABLE_CHANGES}).
 */
public final class RunDirectory {
  /**
   * The recipe keys a resumed run may change: the epochs, and the labels and bookkeeping that do
   * not change the weights (the model's name and description, how many checkpoints are kept).
   */
  public static final List<String> RESUMABLE_CHANGES =
      List.of("training.epochs", "training.checkpoints_kept", "name", "description");

  /** What fmnist writes into a run directory: overwriting removes these and nothing else. */
  private static final List<String> ENTRIES = List.of(
      "checkpoints", // first: the checkpoint directory
      "history.json", "history.csv", TensorBoardLogger.DIRECTORY, "exported.json");

  private RunDirectory() {}

  /**
   * Checks, before any work, that {@code dir} can take a run of {@code recipe}: a writable directory
   * (or one that can be made); unless {@code resume} or {@code overwrite}, free of an earlier run;
   * with {@code resume}, its newest intact checkpoint has the same recipe but for the epochs.
   *
   * @param dir the run directory
   * @param recipe the recipe to train
   * @param resume whether the run continues the directory's checkpoints
   * @param overwrite whether an earlier run there is to be removed first
   * @throws ConfigException (exit 2) when both flags are given, an earlier run is there, or the
   *     recipe differs from the checkpoint's
   * @throws StorageException (exit 3) when the directory cannot be written
   */
  public static void requireUsable(Path dir, Recipe recipe, boolean resume, boolean overwrite) {
    if (resume && overwrite) {
      throw new ConfigException("--resume and --overwrite: give one of them (--resume continues the run in "
          + dir + ", --overwrite replaces it)");
    }
    AtomicFiles.requireWritableDirectory(dir);
    if (resume) {
      checkpoints(dir).newestIntact()
          .ifPresent(c -> requireSameRecipe(recipe, c.state(), c.dir()));
    }
    if (!resume && !overwrite) {
      earlierRun(dir).ifPresent(what -> {
        throw new ConfigException(dir + ": holds an earlier run (" + what + "); continue it with --resume,"
            + " replace it with --overwrite, or give another --run-dir");
      });
    }
  }

  private static CheckpointStore checkpoints(Path dir) {
    return new CheckpointStore(dir.resolve(ENTRIES.get(0)), 1);
  }

  /** What an earlier run left in {@code dir} ("checkpoints up to epoch 3", "history.json"), if anything. */
  static Optional<String> earlierRun(Path dir) {
    List<Path> checkpoints = checkpoints(dir).listNewestFirst();
    if (!checkpoints.isEmpty()) {
      return Optional.of("checkpoints up to epoch " + CheckpointStore.epochOf(checkpoints.get(0)));
    }
    for (String name : List.of("history.json", "exported.json")) {
      if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /**
   * Removes the entries fmnist writes into a run directory (checkpoints, history, TensorBoard logs,
   * export marker); other files are left alone. Each is renamed to a temporary name first, so an
   * interrupted clear leaves only what the next start deletes.
   *
   * @param dir the run directory
   * @throws StorageException (exit 3) when an entry cannot be removed, or is or holds an input of
   *     this command ({@link AtomicFiles#requireRemovable}); then nothing is removed
   */
  public static void clear(Path dir) {
    for (String name : ENTRIES) { // nothing is removed when any entry holds an input (the recipe, the data)
      AtomicFiles.requireRemovable(dir.resolve(name));
    }
    for (String name : ENTRIES) {
      Path p = dir.resolve(name);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path trash = dir.resolve("." + name + "-" + ProcessHandle.current().pid() + "-overwritten" + AtomicFiles.TEMP_SUFFIX);
      try {
        AtomicFiles.deleteQuietly(trash);
        Files.move(p, trash);
      } catch (IOException e) {
        throw new StorageException(p + ": cannot remove it for --overwrite: " + AtomicFiles.describe(e), e);
      }
      AtomicFiles.deleteQuietly(trash);
    }
    AtomicFiles.forceDirectory(dir);
  }

  /**
   * Refuses to resume {@code checkpoint} with a recipe that differs from the one it was trained
   * with in anything but {@link #RESUMABLE_CHANGES}, listing every difference.
   *
   * @param now the recipe given for the resumed run
   * @param state the checkpoint's state
   * @param checkpoint the checkpoint directory (for the message)
   * @throws ConfigException (exit 2) listing the differences
   */
  public static void requireSameRecipe(Recipe now, TrainingState state, Path checkpoint) {
    if (state.recipeJson() == null) {
      return; // written before checkpoints kept their recipe: the architecture check is all there is
    }
    Recipe then = RecipeLoader.fromJson(state.recipeJson(), checkpoint.resolve(CheckpointStore.STATE_FILE).toString());
    List<String> changes = differences(RecipeLoader.toTree(then), RecipeLoader.toTree(now));
    if (!RecipeLoader.architectureFingerprint(now.model()).equals(state.architecture())) {
      throw new ConfigException(checkpoint + ": " + CheckpointStore.OTHER_ARCHITECTURE + " ("
          + String.join(", ", changes) + "); " + CheckpointStore.OTHER_ARCHITECTURE_HINT);
    }
    if (!changes.isEmpty()) {
      throw new ConfigException("--resume: the recipe differs from the checkpoint's (" + checkpoint + "): "
          + String.join(", ", changes) + "; only " + String.join(", ", RESUMABLE_CHANGES) + " may change (or train"
          + " without --resume into another --run-dir)");
    }
  }

  /** {@code key old -> new} for each leaf that differs, {@link #RESUMABLE_CHANGES} excepted. */
  static List<String> differences(JsonNode then, JsonNode now) {
    List<String> out = new ArrayList<>();
    diff("", then, now, out);
    return out;
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (RESUMABLE_CHANGES.contains(path)) {
      return;
    }
    boolean aMissing = a == null || a.isMissingNode() || a.isNull();
    boolean bMissing = b == null || b.isMissingNode() || b.isNull();
    if (aMissing && bMissing) {
      return;
    }
    if (!aMissing && !bMissing && a.isObject() && b.isObject()) {
      List<String> keys = new ArrayList<>();
      a.fieldNames().forEachRemaining(keys::add);
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        String k = it.next().getKey();
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
      for (String k : keys) {
        diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
      }
      return;
    }
    if (!aMissing && !bMissing && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
      return;
    }
    if (aMissing || bMissing || !a.equals(b)) {
      out.add(path + " " + show(a, aMissing) + " -> " + show(b, bMissing));
    }
  }

  private static String show(JsonNode n, boolean missing) {
    if (missing) {
      return "(none)";
    }
    return n.isTextual() ? n.asText() : n.toString();
  }
}
