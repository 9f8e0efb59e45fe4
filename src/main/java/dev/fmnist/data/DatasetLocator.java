package dev.fmnist.data;

import dev.fmnist.FmnistException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the dataset directory: {@code --data-dir}, then {@code $FMNIST_DATA}, then {@code
 * data/fashion-mnist/} (relative to the working directory), then {@code
 * /usr/share/datasets/fashion-mnist/} (Debian's {@code dataset-fashion-mnist}). A directory named
 * explicitly (option or variable) must hold all four files; the two defaults are skipped unless
 * they do.
 */
public final class DatasetLocator {
  /** The environment variable naming the dataset directory. */
  public static final String ENV = "FMNIST_DATA";
  /** The project's own data directory, relative to the working directory. */
  public static final Path PROJECT_DIR = Path.of("data", "fashion-mnist");
  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  static final String HOW_TO_GET =
      "run 'fmnist data download', or 'apt-get install dataset-fashion-mnist', or pass --data-dir DIR";

  private DatasetLocator() {}

  /**
   * The directory holding the four files. Its dataset files are registered as read ({@link
   * dev.fmnist.AtomicFiles#reading}): no output of this process replaces them.
   *
   * @param dataDirOrNull the {@code --data-dir} option, or null when not given
   * @return a directory that holds all four files, raw or {@code .gz}
   * @throws DatasetException when nothing usable is found, saying how to get the data
   */
  public static Path locate(Path dataDirOrNull) {
    Path dir = locate(dataDirOrNull, System.getenv(), PROJECT_DIR, DEBIAN_DIR);
    for (DatasetFile f : DatasetFile.values()) {
      f.find(dir).ifPresent(dev.fmnist.AtomicFiles::reading);
    }
    return dir;
  }

  static Path locate(Path dataDir, Map<String, String> env) {
    return locate(dataDir, env, PROJECT_DIR, DEBIAN_DIR);
  }

  static Path locate(Path dataDir, Map<String, String> env, Path projectDir, Path systemDir) {
    if (dataDir != null) {
      return requireComplete(dataDir, "--data-dir");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return requireComplete(Path.of(fromEnv), "$" + ENV);
    }
    for (Path candidate : List.of(projectDir, systemDir)) {
      if (Files.isDirectory(candidate) && FashionMnist.isComplete(candidate)) {
        return candidate;
      }
    }
    throw new DatasetException(
        "Fashion-MNIST not found in " + projectDir + "/ or " + systemDir + "/: " + HOW_TO_GET);
  }

  private static Path requireComplete(Path dir, String source) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(
          dir
              + ": no such directory (from "
              + source
              + "); 'fmnist data download --data-dir "
              + dir
              + "' fetches the dataset into it");
    }
    List<String> missing = new ArrayList<>();
    for (DatasetFile f : DatasetFile.values()) {
      if (f.find(dir).isEmpty()) {
        missing.add(f.fileName() + "[.gz]");
      }
    }
    if (!missing.isEmpty()) {
      throw new DatasetException(
          dir
              + ": missing "
              + String.join(", ", missing)
              + " (from "
              + source
              + "); 'fmnist data download --data-dir "
              + dir
              + "' fetches them");
    }
    return dir;
  }
}
