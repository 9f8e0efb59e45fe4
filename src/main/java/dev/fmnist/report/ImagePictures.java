package dev.fmnist.report;

import dev.fmnist.data.DatasetSpec;
import java.awt.image.BufferedImage;

/** Model inputs (values in [0, 1], row-major, channels last) as pictures: grayscale or RGB. */
public final class ImagePictures {
  private ImagePictures() {}

  /**
   * The image of {@code values}, {@code spec.width() x spec.height()} pixels.
   *
   * @param values {@code spec.valuesPerImage()} values in [0, 1], row-major, channels last
   * @param spec the image's height, width and channels
   * @return a grayscale or RGB image
   */
  public static BufferedImage of(float[] values, DatasetSpec spec) {
    int w = spec.width();
    int h = spec.height();
    int ch = spec.channels();
    BufferedImage img = new BufferedImage(w, h, ch == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int k = (r * w + c) * ch;
        if (ch == 1) {
          img.getRaster().setSample(c, r, 0, byteOf(values[k]));
        } else {
          img.setRGB(c, r, byteOf(values[k]) << 16 | byteOf(values[k + 1]) << 8 | byteOf(values[k + 2]));
        }
      }
    }
    return img;
  }

  /** The gray level (0-255) of pixel {@code p} (row-major index of {@code height x width}): the channels' mean. */
  static double gray(float[] values, int p, DatasetSpec spec) {
    int ch = spec.channels();
    double sum = 0;
    for (int k = 0; k < ch; k++) {
      sum += Math.max(0, Math.min(1, values[p * ch + k]));
    }
    return 255 * sum / ch;
  }

  /**
   * A PNG of {@code values}.
   *
   * @param values {@code spec.valuesPerImage()} values in [0, 1], row-major, channels last
   * @param spec the image's height, width and channels
   * @return the PNG file's bytes
   */
  public static byte[] png(float[] values, DatasetSpec spec) {
    return ChartFiles.png(of(values, spec));
  }

  private static int byteOf(float v) {
    return Math.round(Math.max(0, Math.min(1, v)) * 255);
  }
}
