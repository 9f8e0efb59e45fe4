package dev.fmnist.data;

import dev.fmnist.FmnistException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the dataset: {@code --data-dir}, then {@code $FMNIST_DATA}, then {@code data/fashion-mnist/},
 * then {@code /usr/share/datasets/fashion-mnist/} (Debian's {@code dataset-fashion-mnist}).
 */
public final class DatasetLocator {
  public static final String ENV = "FMNIST_DATA";
  public static final Path PROJECT_DIR = Path.of("data", "fashion-mnist");
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private DatasetLocator() {}

  /** The dataset directory; an explicit {@code dataDir} is used as given. */
  public static Path locate(Path dataDirOrNull) {
    return locate(dataDirOrNull, System.getenv());
  }

  static Path locate(Path dataDir, Map<String, String> env) {
    if (dataDir != null) {
      requireComplete(dataDir, "--data-dir");
      return dataDir;
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path p = Path.of(fromEnv);
      requireComplete(p, "$" + ENV);
      return p;
    }
    for (Path p : List.of(PROJECT_DIR, DEBIAN_DIR)) {
      if (FashionMnist.isComplete(p)) {
        return p;
      }
    }
    throw FmnistException.badInput("Fashion-MNIST not found in " + PROJECT_DIR + "/ or " + DEBIAN_DIR
        + "/: run 'fmnist data download', or 'apt-get install dataset-fashion-mnist', or pass --data-dir DIR");
  }

  private static void requireComplete(Path dir, String source) {
    if (!Files.isDirectory(dir)) {
      throw FmnistException.badInput(dir + ": no such directory (from " + source + ")");
    }
    List<String> missing = new ArrayList<>();
    for (String n : FashionMnist.FILES) {
      if (!Files.exists(dir.resolve(n)) && !Files.exists(dir.resolve(n + ".gz"))) {
        missing.add(n + "[.gz]");
      }
    }
    if (!missing.isEmpty()) {
      throw FmnistException.badInput(dir + ": missing " + String.join(", ", missing)
          + " (from " + source + "; 'fmnist data download --data-dir " + dir + "' fetches them)");
    }
  }
}
