package dev.fmnist.savedmodel;

import java.util.Arrays;

/**
 * The input shapes a Fashion-MNIST classifier may declare. All three hold the same 784 floats per
 * image in the same row-major order; only the tensor shape fed to the model differs.
 */
public enum ImageLayout {
  /** {@code [-1, 28, 28, 1]}: batch, height, width, channel (the fmnist and Keras default). */
  NHWC(28, 28, 1),
  /** {@code [-1, 28, 28]}: batch, height, width. */
  NHW(28, 28),
  /** {@code [-1, 784]}: flattened images. */
  FLAT(784);

  /** Values per image. */
  public static final int PIXELS = 784;

  private final long[] imageDims;

  ImageLayout(long... imageDims) {
    this.imageDims = imageDims;
  }

  /** The shape of a batch of {@code n} images, e.g. {@code [n, 28, 28, 1]}. */
  public long[] batchShape(long n) {
    long[] s = new long[imageDims.length + 1];
    s[0] = n;
    System.arraycopy(imageDims, 0, s, 1, imageDims.length);
    return s;
  }

  /**
   * The layout a declared shape fits, or null. Dimension {@code -1} (unknown) is accepted anywhere;
   * the batch dimension may also be a fixed size.
   */
  public static ImageLayout match(long[] declared) {
    for (ImageLayout l : values()) {
      if (declared.length == l.imageDims.length + 1 && declared[0] != 0) {
        boolean fits = true;
        for (int d = 0; d < l.imageDims.length; d++) {
          long v = declared[d + 1];
          fits &= v == -1 || v == l.imageDims[d];
        }
        if (fits) {
          return l;
        }
      }
    }
    return null;
  }

  /** The accepted shapes, for messages: {@code [-1,28,28,1], [-1,28,28] or [-1,784]}. */
  public static String expected() {
    return "[-1,28,28,1], [-1,28,28] or [-1,784]";
  }

  /** A shape as {@code [-1,28,28,1]}. */
  public static String format(long[] shape) {
    return Arrays.toString(shape).replace(" ", "");
  }
}
