package dev.fmnist.data;

import java.util.List;

/** n grayscale 28x28 images with labels 0-9, as unsigned bytes. Immutable. */
public final class ImageSet {
  public static final int ROWS = 28;
  public static final int COLS = 28;
  public static final int PIXELS = ROWS * COLS;
  public static final int CLASSES = 10;
  /** Class names by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private final byte[] pixels;
  private final byte[] labels;

  /**
   * @param pixels row-major n*784 unsigned bytes; kept, not copied
   * @param labels n labels in 0-9; kept, not copied
   * @throws IllegalArgumentException when the lengths disagree or a label is outside 0-9
   */
  public ImageSet(byte[] pixels, byte[] labels) {
    if ((long) labels.length * PIXELS != pixels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + pixels.length / (double) PIXELS + " images");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= CLASSES) {
        throw new IllegalArgumentException("label " + (labels[i] & 0xff) + " at index " + i + " is outside 0-9");
      }
    }
    this.pixels = pixels;
    this.labels = labels;
  }

  public int size() {
    return labels.length;
  }

  public int label(int i) {
    return labels[i];
  }

  /** The pixels, row-major n*784 unsigned bytes. Not a copy: callers must not modify it. */
  public byte[] pixels() {
    return pixels;
  }

  /** The labels. Not a copy: callers must not modify it. */
  public byte[] labels() {
    return labels;
  }

  /** The images at {@code indices}, in that order. */
  public ImageSet subset(int[] indices) {
    byte[] p = new byte[indices.length * PIXELS];
    byte[] l = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels, indices[i] * PIXELS, p, i * PIXELS, PIXELS);
      l[i] = labels[indices[i]];
    }
    return new ImageSet(p, l);
  }

  /** How many images each class has. */
  public int[] classCounts() {
    int[] c = new int[CLASSES];
    for (byte b : labels) {
      c[b]++;
    }
    return c;
  }

  /** Writes image {@code i} as byte/255 floats into {@code dst} at {@code dstOffset}. */
  public void copyScaled(int i, float[] dst, int dstOffset) {
    int base = i * PIXELS;
    for (int k = 0; k < PIXELS; k++) {
      dst[dstOffset + k] = (pixels[base + k] & 0xff) / 255f;
    }
  }
}
