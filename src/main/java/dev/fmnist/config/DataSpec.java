package dev.fmnist.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The recipe's {@code data:} section: which images a model trains on. Absent, the recipe trains on
 * Fashion-MNIST found by the usual lookup ({@code --data-dir}, {@code $FMNIST_DATA}, ...).
 *
 * @param format how the images are stored: {@code folder} ({@code path/train/<class>/*.png|jpg},
 *     {@code path/test/<class>/...}), {@code idx} (the four Fashion-MNIST file names, any image
 *     size, any number of classes) or {@code fashion-mnist} (the default)
 * @param path the dataset directory; relative paths are resolved against the recipe file's
 *     directory when the recipe is loaded from a file ({@link RecipeLoader#load}), so manifests and
 *     checkpoints hold an absolute path
 * @param imageSize {@code [height, width]} the model sees; images of other sizes are resized to it.
 *     Required for {@code folder}; for {@code idx} the files' size when absent
 * @param channels 1 (grayscale) or 3 (RGB); default 3 for {@code folder}, 1 otherwise
 * @param classes the class names of an {@code idx} dataset, by label (else its {@code classes.txt},
 *     else {@code 0}, {@code 1}, ...)
 * @param skipBadFiles {@code folder}: skip (and count) files that cannot be read as images instead
 *     of refusing the dataset
 * @param testSplit {@code folder} without a {@code test/} directory: the fraction of {@code train/}
 *     held out, stratified by class, as the test set (default {@value #DEFAULT_TEST_SPLIT})
 * @param splitSeed the seed of that split (default 0): fixed apart from {@code training.seed}, so
 *     seed repeats are scored on the same test images
 */
public record DataSpec(
    Format format,
    @JsonInclude(JsonInclude.Include.NON_NULL) String path,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> imageSize,
    Integer channels,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> classes,
    Boolean skipBadFiles,
    Double testSplit,
    Long splitSeed) {
  /** The default share of {@code train/} held out as the test set when there is no {@code test/}. */
  public static final double DEFAULT_TEST_SPLIT = 0.2;
  /** The largest image side a recipe may ask for (the dataset description's limit). */
  public static final int MAX_SIDE = 1024;
  /** The most classes (labels are stored as one unsigned byte). */
  public static final int MAX_CLASSES = 256;

  /** How a dataset is stored. */
  public enum Format {
    /** A directory with {@code train/<class>/} and optionally {@code test/<class>/} image files. */
    @JsonProperty("folder")
    FOLDER,
    /** The four IDX files under their Fashion-MNIST names, of any image size and class count. */
    @JsonProperty("idx")
    IDX,
    /** Fashion-MNIST found by the usual lookup ({@code --data-dir}, {@code $FMNIST_DATA}, ...). */
    @JsonProperty("fashion-mnist")
    FASHION_MNIST;

    /** The name as a recipe writes it: {@code folder}, {@code idx}, {@code fashion-mnist}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Checks the section and fills in defaults.
   *
   * @param format how the images are stored (null: {@code fashion-mnist})
   * @param path the dataset directory; required unless the format is {@code fashion-mnist}
   * @param imageSize {@code [height, width]}, each 1 to {@value #MAX_SIDE}; required for {@code
   *     folder}
   * @param channels 1 or 3 (null: 3 for {@code folder}, else 1); Fashion-MNIST must be 1
   * @param classes for {@code idx} only: 2 to {@value #MAX_CLASSES} distinct, non-blank class
   *     names, or null
   * @param skipBadFiles for {@code folder} only: skip unreadable images (null: false)
   * @param testSplit the held-out fraction, in (0, 1) (null: {@value #DEFAULT_TEST_SPLIT})
   * @param splitSeed the seed of the held-out split (null: 0)
   * @throws ConfigException naming the key of a value that is missing, out of range or not allowed
   *     for the format
   */
  public DataSpec {
    format = format == null ? Format.FASHION_MNIST : format;
    if (path != null && path.isBlank()) {
      throw new ConfigException("path", "must name a directory, found '" + path + "'");
    }
    if (path == null && format != Format.FASHION_MNIST) {
      throw new ConfigException("path", "is required for format " + format + " (the dataset directory, relative"
          + " to the recipe file)");
    }
    if (imageSize != null) {
      if (imageSize.size() != 2 || imageSize.stream().anyMatch(java.util.Objects::isNull)) {
        throw new ConfigException("image_size", "must be [height, width], found " + imageSize);
      }
      for (int side : imageSize) {
        if (side < 1 || side > MAX_SIDE) {
          throw new ConfigException("image_size", "each side must be 1 to " + MAX_SIDE + " pixels, found " + imageSize);
        }
      }
      imageSize = List.copyOf(imageSize);
    } else if (format == Format.FOLDER) {
      throw new ConfigException("image_size", "is required for format folder (the [height, width] images are"
          + " resized to), e.g. image_size: [32, 32]");
    }
    channels = channels == null ? (format == Format.FOLDER ? 3 : 1) : channels;
    if (channels != 1 && channels != 3) {
      throw new ConfigException("channels", "must be 1 (grayscale) or 3 (RGB), found " + channels);
    }
    if (format == Format.FASHION_MNIST) {
      if (channels != 1 || (imageSize != null && !imageSize.equals(List.of(28, 28)))) {
        throw new ConfigException(imageSize != null ? "image_size" : "channels",
            "Fashion-MNIST is 28x28 grayscale; to resize it, read its files with format: idx");
      }
    }
    if (classes != null) {
      if (format != Format.IDX) {
        throw new ConfigException("classes", "only for format idx (a folder's classes are its folder names)");
      }
      checkClassNames(classes);
      classes = List.copyOf(classes);
    }
    skipBadFiles = skipBadFiles != null && skipBadFiles;
    if (skipBadFiles && format != Format.FOLDER) {
      throw new ConfigException("skip_bad_files", "only for format folder (a bad IDX file is never skipped)");
    }
    testSplit = testSplit == null ? DEFAULT_TEST_SPLIT : testSplit;
    if (!(testSplit > 0 && testSplit < 1)) {
      throw new ConfigException("test_split", "must be a fraction in (0, 1), found " + testSplit);
    }
    splitSeed = splitSeed == null ? 0L : splitSeed;
  }

  private static void checkClassNames(List<String> classes) {
    if (classes.size() < 2 || classes.size() > MAX_CLASSES) {
      throw new ConfigException("classes", "must list 2 to " + MAX_CLASSES + " class names, found " + classes.size());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < classes.size(); i++) {
      String c = classes.get(i);
      if (c == null || c.isBlank()) {
        throw new ConfigException("classes[" + i + "]", "must be a non-blank name");
      }
      if (!seen.add(c)) {
        throw new ConfigException("classes[" + i + "]", "'" + c + "' is given twice");
      }
    }
  }

  /**
   * Fashion-MNIST by the usual lookup: what a recipe without {@code data:} trains on.
   *
   * @return the section of a recipe without {@code data:}: format {@code fashion-mnist}, no path
   */
  public static DataSpec fashionMnist() {
    return new DataSpec(Format.FASHION_MNIST, null, null, null, null, null, null, null);
  }

  /**
   * The image height the model sees, or 0 when the files decide ({@code idx} without {@code image_size}).
   *
   * @return rows in pixels, or 0
   */
  @JsonIgnore
  public int height() {
    return imageSize == null ? 0 : imageSize.get(0);
  }

  /**
   * The image width the model sees, or 0 when the files decide.
   *
   * @return columns in pixels, or 0
   */
  @JsonIgnore
  public int width() {
    return imageSize == null ? 0 : imageSize.get(1);
  }

  /**
   * The dataset directory, or null for Fashion-MNIST by the usual lookup.
   *
   * @return {@link #path} as a path, or null when it is absent
   */
  @JsonIgnore
  public Path directory() {
    return path == null ? null : Path.of(path);
  }

  /**
   * This section with a relative {@code path} made absolute against {@code base} (the recipe file's
   * directory) and normalized; unchanged when the path is absolute or absent.
   *
   * @param base the directory relative paths are taken from
   * @return this section, or a copy with an absolute, normalized {@code path}
   */
  public DataSpec resolvedAgainst(Path base) {
    if (path == null || Path.of(path).isAbsolute()) {
      return this;
    }
    return withPath(base.toAbsolutePath().resolve(path).normalize());
  }

  /**
   * This section reading its images from {@code dir} instead (e.g. {@code --data-dir}).
   *
   * @param dir the dataset directory
   * @return a copy of this section with {@code path} set to {@code dir}, every other value
   *     unchanged
   */
  public DataSpec withPath(Path dir) {
    return new DataSpec(format, dir.toString(), imageSize, channels, classes, skipBadFiles, testSplit, splitSeed);
  }
}
