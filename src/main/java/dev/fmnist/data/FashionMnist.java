package dev.fmnist.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four Fashion-MNIST files of a directory, read and checked.
 *
 * @param sha256 SHA-256 of each decompressed file, keyed by its name without {@code .gz}
 */
public record FashionMnist(ImageSet train, ImageSet test, Path directory, Map<String, String> sha256) {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  /** The four files, by their names without {@code .gz}. */
  public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /** Reads and checks all four files of {@code directory}. */
  public static FashionMnist load(Path directory) {
    Map<String, String> sha = new LinkedHashMap<>();
    ImageSet train = pair(directory, TRAIN_IMAGES, TRAIN_LABELS, sha);
    ImageSet test = pair(directory, TEST_IMAGES, TEST_LABELS, sha);
    return new FashionMnist(train, test, directory, Map.copyOf(sha));
  }

  /** Reads only the 10,000 test images (what an evaluator needs). */
  public static ImageSet loadTest(Path directory) {
    return pair(directory, TEST_IMAGES, TEST_LABELS, new LinkedHashMap<>());
  }

  private static ImageSet pair(Path dir, String imagesName, String labelsName, Map<String, String> sha) {
    Path imagesFile = file(dir, imagesName);
    Path labelsFile = file(dir, labelsName);
    IdxFile images = IdxReader.readImages(imagesFile);
    IdxFile labels = IdxReader.readLabels(labelsFile);
    if (images.count() != labels.count()) {
      throw new IdxFormatException(labelsFile,
          labels.count() + " labels but " + imagesFile.getFileName() + " has " + images.count() + " images");
    }
    sha.put(imagesName, images.sha256());
    sha.put(labelsName, labels.sha256());
    try {
      return new ImageSet(images.payload(), labels.payload());
    } catch (IllegalArgumentException e) {
      throw new IdxFormatException(labelsFile, e.getMessage(), e);
    }
  }

  /** The file for {@code name} in {@code dir}: the raw file if present, else {@code name.gz}. */
  public static Path file(Path dir, String name) {
    Path raw = dir.resolve(name);
    Path gz = dir.resolve(name + ".gz");
    return Files.exists(raw) || !Files.exists(gz) ? raw : gz;
  }

  /** Whether {@code dir} has all four files (raw or .gz). */
  public static boolean isComplete(Path dir) {
    return FILES.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)) || Files.isRegularFile(dir.resolve(n + ".gz")));
  }
}
