package dev.fmnist.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The four Fashion-MNIST files of a directory, read and checked: 60,000 training and 10,000 test
 * grayscale 28x28 images of ten classes of clothing ({@link #SPEC}).
 *
 * @param train the 60,000 training images (before any validation split)
 * @param test the 10,000 test images
 * @param directory where the files were read from
 * @param sha256 SHA-256 of each decompressed file, keyed by its name without {@code .gz} (e.g.
 *     {@code train-images-idx3-ubyte}), in the order of {@link #FILES}
 */
public record FashionMnist(ImageSet train, ImageSet test, Path directory, Map<String, String> sha256)
    implements Dataset {
  /** Fashion-MNIST's class names, by label. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot");
  /** What Fashion-MNIST's images are: 28x28 grayscale, ten classes. */
  public static final DatasetSpec SPEC = new DatasetSpec("fashion-mnist", 28, 28, 1, CLASS_NAMES);
  /** The training images' file name, without {@code .gz}. */
  public static final String TRAIN_IMAGES = DatasetFile.TRAIN_IMAGES.fileName();
  /** The training labels' file name, without {@code .gz}. */
  public static final String TRAIN_LABELS = DatasetFile.TRAIN_LABELS.fileName();
  /** The test images' file name, without {@code .gz}. */
  public static final String TEST_IMAGES = DatasetFile.TEST_IMAGES.fileName();
  /** The test labels' file name, without {@code .gz}. */
  public static final String TEST_LABELS = DatasetFile.TEST_LABELS.fileName();
  /** The four files, by their names without {@code .gz}. */
  public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /**
   * Checks that the images are present and copies the hashes.
   *
   * @param train the 60,000 training images
   * @param test the 10,000 test images
   * @param directory the directory the files were read from
   * @param sha256 SHA-256 of the decompressed content, by file name; kept in order
   * @throws NullPointerException when {@code train}, {@code test} or {@code directory} is null
   */
  public FashionMnist {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(directory, "directory");
    sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
  }

  @Override
  public DatasetSpec spec() {
    return SPEC;
  }

  @Override
  public Provenance provenance() {
    return new Provenance("fashion-mnist", directory.toString(), sha256.size(), sha256);
  }

  /**
   * Reads and checks all four files of {@code directory} (each {@code .gz} or raw).
   *
   * @param directory the directory of the four files
   * @return the dataset with the SHA-256 of each file
   * @throws IdxFormatException when a file is missing, malformed, or its labels do not match its images
   */
  public static FashionMnist load(Path directory) {
    Map<String, String> sha = new LinkedHashMap<>();
    ImageSet train = readPair(directory, DatasetFile.TRAIN_IMAGES, DatasetFile.TRAIN_LABELS, sha);
    ImageSet test = readPair(directory, DatasetFile.TEST_IMAGES, DatasetFile.TEST_LABELS, sha);
    return new FashionMnist(train, test, directory, sha);
  }

  /**
   * Reads and checks only the two {@code t10k} files: the 10,000 test images.
   *
   * @param directory the directory of the two {@code t10k} files
   * @return the 10,000 test images
   * @throws IdxFormatException when a file is missing, malformed, or its labels do not match its
   *     images
   */
  public static ImageSet loadTest(Path directory) {
    return readTest(directory).images();
  }

  /**
   * Reads and checks only the two {@code t10k} files, and says which files they were and whether
   * they are the official test set.
   *
   * @param directory the dataset directory
   * @return the 10,000 test images (or however many the files hold) and what they are
   */
  public static TestSet readTest(Path directory) {
    Map<String, String> sha = new LinkedHashMap<>();
    ImageSet images = readPair(directory, DatasetFile.TEST_IMAGES, DatasetFile.TEST_LABELS, sha);
    Path imagesFile = require(directory, DatasetFile.TEST_IMAGES);
    Path labelsFile = require(directory, DatasetFile.TEST_LABELS);
    List<String> differ = testFilesDiffering(sha);
    return new TestSet(images, imagesFile + ", " + labelsFile.getFileName(), differ.isEmpty(), verdict(differ));
  }

  /**
   * The {@code t10k} files of {@code sha256} (SHA-256 by file name without {@code .gz}) whose
   * checksum is not the original's, or that are absent.
   *
   * @param sha256 the SHA-256 of the files read
   * @return the names of the test files that differ, empty for the official test set
   */
  public static List<String> testFilesDiffering(Map<String, String> sha256) {
    List<String> differ = new java.util.ArrayList<>();
    for (DatasetFile f : List.of(DatasetFile.TEST_IMAGES, DatasetFile.TEST_LABELS)) {
      if (!f.sha256().equals(sha256.get(f.fileName()))) {
        differ.add(f.fileName());
      }
    }
    return differ;
  }

  /**
   * What test files are, in words, given {@link #testFilesDiffering}.
   *
   * @param differing the names of the test files whose checksums differ from the originals'
   * @return {@link TestSet#OFFICIAL}, or why they are not
   */
  public static String verdict(List<String> differing) {
    return differing.isEmpty() ? TestSet.OFFICIAL
        : "not the official test set: checksum" + (differing.size() == 1 ? " of " + differing.get(0) + " differs"
            : "s differ");
  }

  /**
   * The file for {@code name} (without {@code .gz}) in {@code dir}: the raw file if present, else
   * {@code name.gz} if present, else the raw path (which does not exist).
   *
   * @param dir the directory to look in
   * @param name the file name without {@code .gz}
   * @return the file, which may not exist
   */
  public static Path file(Path dir, String name) {
    for (DatasetFile f : DatasetFile.values()) {
      if (f.fileName().equals(name)) {
        return f.find(dir).orElse(dir.resolve(name));
      }
    }
    Path raw = dir.resolve(name);
    Path gz = dir.resolve(name + DatasetFile.GZIP_SUFFIX);
    return Files.exists(raw) || !Files.exists(gz) ? raw : gz;
  }

  /**
   * Whether {@code dir} has all four files (raw or {@code .gz}).
   *
   * @param dir the directory to look in
   * @return true when each of the four files exists, raw or {@code .gz}
   */
  public static boolean isComplete(Path dir) {
    for (DatasetFile f : DatasetFile.values()) {
      if (f.find(dir).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The existing file for {@code file} in {@code dir}; fails saying how to get it when missing. */
  static Path require(Path dir, DatasetFile file) {
    return file.find(dir)
        .orElseThrow(
            () ->
                new IdxFormatException(
                    dir,
                    file.fileName()
                        + " (or "
                        + file.gzipFileName()
                        + ") not found; 'fmnist data download --data-dir "
                        + dir
                        + "' fetches the dataset"));
  }

  private static ImageSet readPair(
      Path dir, DatasetFile imagesFile, DatasetFile labelsFile, Map<String, String> sha) {
    Path imagesPath = require(dir, imagesFile);
    Path labelsPath = require(dir, labelsFile);
    IdxFile images = IdxReader.readImages(imagesPath, SPEC.height(), SPEC.width());
    IdxFile labels = IdxReader.readLabels(labelsPath, SPEC.classes());
    if (images.count() != labels.count()) {
      throw new IdxFormatException(
          labelsPath,
          "has "
              + labels.count()
              + " labels but "
              + imagesPath.getFileName()
              + " has "
              + images.count()
              + " images");
    }
    sha.put(imagesFile.fileName(), images.sha256());
    sha.put(labelsFile.fileName(), labels.sha256());
    return new ImageSet(SPEC, images.payload(), labels.payload());
  }
}
