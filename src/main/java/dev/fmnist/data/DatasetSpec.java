package dev.fmnist.data;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the examples of a dataset are: images of {@code height x width x channels} unsigned bytes
 * (row-major, channels last) and the names of the classes (label {@code k} is {@code
 * classNames().get(k)}). One description flows from the data layer to the model builder (input
 * shape, number of logits), the exported signature and manifest, the evaluator and every chart.
 * Fashion-MNIST is one instance of it ({@link FashionMnist#SPEC}).
 *
 * @param name a short name for messages and manifests, e.g. {@code fashion-mnist}
 * @param height image rows
 * @param width image columns
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param classNames the class names, by label; 2 to {@value #MAX_CLASSES} distinct, non-blank names
 */
public record DatasetSpec(String name, int height, int width, int channels, List<String> classNames) {
  /** The largest image side, in pixels. */
  public static final int MAX_SIDE = 1024;
  /** The most classes: labels are stored as one unsigned byte. */
  public static final int MAX_CLASSES = 256;

  /**
   * Checks the values.
   *
   * @param name a short name, not blank
   * @param height image rows, 1 to {@value #MAX_SIDE}
   * @param width image columns, 1 to {@value #MAX_SIDE}
   * @param channels 1 or 3
   * @param classNames 2 to {@value #MAX_CLASSES} distinct, non-blank names; a copy is kept
   * @throws IllegalArgumentException when a value is out of range
   */
  public DatasetSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a dataset needs a name");
    }
    if (height < 1 || height > MAX_SIDE || width < 1 || width > MAX_SIDE) {
      throw new IllegalArgumentException(
          "image size must be 1 to " + MAX_SIDE + " pixels per side, found " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 (grayscale) or 3 (RGB), found " + channels);
    }
    if (classNames == null || classNames.size() < 2 || classNames.size() > MAX_CLASSES) {
      throw new IllegalArgumentException("a dataset needs 2 to " + MAX_CLASSES + " classes, found "
          + (classNames == null ? 0 : classNames.size()));
    }
    Set<String> seen = new HashSet<>();
    for (String c : classNames) {
      if (c == null || c.isBlank()) {
        throw new IllegalArgumentException("class names must not be blank");
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException("class name '" + c + "' is given twice");
      }
    }
    classNames = List.copyOf(classNames);
  }

  /**
   * The number of classes.
   *
   * @return the size of {@link #classNames}
   */
  public int classes() {
    return classNames.size();
  }

  /**
   * Values per image: {@code height * width * channels}.
   *
   * @return the number of bytes (or floats) of one image
   */
  public int valuesPerImage() {
    return height * width * channels;
  }

  /**
   * The shape of a batch of {@code n} images, {@code [n, height, width, channels]} (NHWC).
   *
   * @param n the batch size, or -1 for any
   * @return {@code [n, height, width, channels]}
   */
  public long[] batchShape(long n) {
    return new long[] {n, height, width, channels};
  }

  /**
   * {@code 28x28x1}.
   *
   * @return {@code <height>x<width>x<channels>}
   */
  public String describeShape() {
    return String.format(Locale.ROOT, "%dx%dx%d", height, width, channels);
  }

  /**
   * Whether images of this spec fit {@code other}'s: the same size and channels (names may differ).
   *
   * @param other another description
   * @return true when height, width and channels are equal
   */
  public boolean sameImages(DatasetSpec other) {
    return height == other.height && width == other.width && channels == other.channels;
  }

  /**
   * This description with other class names (e.g. a model's manifest), as many as before.
   *
   * @param names the new class names, by label
   * @return a copy with {@code names} and every other value unchanged
   * @throws IllegalArgumentException when the names are fewer than 2, too many, blank or repeated
   */
  public DatasetSpec withClassNames(List<String> names) {
    return new DatasetSpec(name, height, width, channels, names);
  }
}
