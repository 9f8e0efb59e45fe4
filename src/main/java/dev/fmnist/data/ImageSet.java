package dev.fmnist.data;

/**
 * {@code n} labelled images of one {@link DatasetSpec}, as unsigned bytes (row-major, channels
 * last). Immutable: the arrays are taken over without a copy, and neither the caller that passed
 * them nor a caller of {@link #pixels()} or {@link #rawLabels()} may modify them.
 */
public final class ImageSet implements LabeledImages {
  /** The largest raw pixel value; {@link #copyScaled} divides by it. */
  public static final int MAX_PIXEL = 255;

  /** {@code v / 255f} for every byte value, so scaling is a table lookup. */
  private static final float[] SCALED = new float[MAX_PIXEL + 1];

  static {
    for (int v = 0; v <= MAX_PIXEL; v++) {
      SCALED[v] = v / (float) MAX_PIXEL;
    }
  }

  private final DatasetSpec spec;
  private final int valuesPerImage;
  private final byte[] pixels;
  private final byte[] labels;

  /**
   * @param spec what the images are
   * @param pixels {@code n * spec.valuesPerImage()} unsigned bytes; kept, not copied
   * @param labels {@code n} labels in {@code 0 .. spec.classes()-1}; kept, not copied
   * @throws IllegalArgumentException when the lengths disagree or a label is out of range
   */
  public ImageSet(DatasetSpec spec, byte[] pixels, byte[] labels) {
    this.spec = spec;
    this.valuesPerImage = spec.valuesPerImage();
    if ((long) labels.length * valuesPerImage != pixels.length) {
      throw new IllegalArgumentException(
          "pixels: length " + pixels.length + " is not " + labels.length + " labels x " + valuesPerImage
              + " = " + (long) labels.length * valuesPerImage);
    }
    int classes = spec.classes();
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= classes) {
        throw new IllegalArgumentException(
            "label " + (labels[i] & 0xff) + " at index " + i + " is outside 0-" + (classes - 1));
      }
    }
    this.pixels = pixels;
    this.labels = labels;
  }

  /** What the images are. */
  @Override
  public DatasetSpec spec() {
    return spec;
  }

  /** The number of images. */
  @Override
  public int size() {
    return labels.length;
  }

  /** The label of image {@code i}. */
  @Override
  public int label(int i) {
    return labels[i] & 0xff;
  }

  /**
   * The pixels, row-major unsigned bytes, image after image. Not a copy: callers must not modify it.
   *
   * @return the pixel array
   */
  public byte[] pixels() {
    return pixels;
  }

  /**
   * The labels, one unsigned byte each. Not a copy: callers must not modify it.
   *
   * @return the label array
   */
  public byte[] rawLabels() {
    return labels;
  }

  /**
   * Value {@code k} (row-major, channels last) of image {@code i}, 0-255.
   *
   * @param i the image, 0 to size - 1
   * @param k the value within the image, 0 to {@code valuesPerImage - 1}
   * @return the value, 0 to 255
   */
  public int pixel(int i, int k) {
    return pixels[i * valuesPerImage + k] & 0xff;
  }

  /**
   * The images at {@code indices}, in that order (copied).
   *
   * @param indices the images to keep, each 0 to size - 1
   * @return a new set
   * @throws IndexOutOfBoundsException when an index is outside 0 to size-1
   */
  public ImageSet subset(int[] indices) {
    byte[] p = new byte[Math.multiplyExact(indices.length, valuesPerImage)];
    byte[] l = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      if (index < 0 || index >= labels.length) {
        throw new IndexOutOfBoundsException(
            "indices[" + i + "]: " + index + " is outside 0-" + (labels.length - 1));
      }
      System.arraycopy(pixels, index * valuesPerImage, p, i * valuesPerImage, valuesPerImage);
      l[i] = labels[index];
    }
    return new ImageSet(spec, p, l);
  }

  /**
   * How many images each class has, by label.
   *
   * @return one count per class
   */
  public int[] classCounts() {
    int[] counts = new int[spec.classes()];
    for (byte label : labels) {
      counts[label & 0xff]++;
    }
    return counts;
  }

  /** Writes image {@code i} as {@code byte / 255f} floats into {@code dst} from {@code dstOffset}. */
  @Override
  public void copyScaled(int i, float[] dst, int dstOffset) {
    int base = i * valuesPerImage;
    for (int k = 0; k < valuesPerImage; k++) {
      dst[dstOffset + k] = SCALED[pixels[base + k] & 0xff];
    }
  }
}
