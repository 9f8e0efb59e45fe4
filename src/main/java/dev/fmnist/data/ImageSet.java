package dev.fmnist.data;

import java.util.List;

/**
 * {@code n} grayscale 28x28 images with labels 0-9, as unsigned bytes. Immutable: the arrays are
 * taken over without a copy, and neither the caller that passed them nor a caller of {@link
 * #pixels()} or {@link #labels()} may modify them.
 */
public final class ImageSet {
  public static final int ROWS = 28;
  public static final int COLS = 28;
  public static final int PIXELS = ROWS * COLS;
  public static final int CLASSES = 10;
  /** The largest raw pixel value; {@link #copyScaled} divides by it. */
  public static final int MAX_PIXEL = 255;
  /** Class names by label. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot");

  /** {@code v / 255f} for every byte value, so scaling is a table lookup. */
  private static final float[] SCALED = new float[MAX_PIXEL + 1];

  static {
    for (int v = 0; v <= MAX_PIXEL; v++) {
      SCALED[v] = v / (float) MAX_PIXEL;
    }
  }

  private final byte[] pixels;
  private final byte[] labels;

  /**
   * @param pixels row-major {@code n * 784} unsigned bytes; kept, not copied
   * @param labels {@code n} labels in 0-9; kept, not copied
   * @throws IllegalArgumentException when the lengths disagree or a label is outside 0-9
   */
  public ImageSet(byte[] pixels, byte[] labels) {
    if ((long) labels.length * PIXELS != pixels.length) {
      throw new IllegalArgumentException(
          "pixels: length "
              + pixels.length
              + " is not "
              + labels.length
              + " labels x "
              + PIXELS
              + " = "
              + (long) labels.length * PIXELS);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= CLASSES) {
        throw new IllegalArgumentException(
            "label " + (labels[i] & 0xff) + " at index " + i + " is outside 0-" + (CLASSES - 1));
      }
    }
    this.pixels = pixels;
    this.labels = labels;
  }

  /** The number of images. */
  public int size() {
    return labels.length;
  }

  /** The label (0-9) of image {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** The pixels, row-major {@code n * 784} unsigned bytes. Not a copy: callers must not modify it. */
  public byte[] pixels() {
    return pixels;
  }

  /** The labels. Not a copy: callers must not modify it. */
  public byte[] labels() {
    return labels;
  }

  /** Pixel {@code k} (0-783, row-major) of image {@code i}, 0-255. */
  public int pixel(int i, int k) {
    return pixels[i * PIXELS + k] & 0xff;
  }

  /**
   * The images at {@code indices}, in that order (copied).
   *
   * @throws IndexOutOfBoundsException when an index is outside 0 to size-1
   */
  public ImageSet subset(int[] indices) {
    byte[] p = new byte[Math.multiplyExact(indices.length, PIXELS)];
    byte[] l = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      if (index < 0 || index >= labels.length) {
        throw new IndexOutOfBoundsException(
            "indices[" + i + "]: " + index + " is outside 0-" + (labels.length - 1));
      }
      System.arraycopy(pixels, index * PIXELS, p, i * PIXELS, PIXELS);
      l[i] = labels[index];
    }
    return new ImageSet(p, l);
  }

  /** How many images each class has, by label. */
  public int[] classCounts() {
    int[] counts = new int[CLASSES];
    for (byte label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** Writes image {@code i} as {@code byte / 255f} floats into {@code dst} from {@code dstOffset}. */
  public void copyScaled(int i, float[] dst, int dstOffset) {
    int base = i * PIXELS;
    for (int k = 0; k < PIXELS; k++) {
      dst[dstOffset + k] = SCALED[pixels[base + k] & 0xff];
    }
  }
}
