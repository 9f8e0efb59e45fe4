package dev.fmnist.report;

/** Image files of model inputs. */
public final class ImageExport {
  private ImageExport() {}

  /** A 28x28 grayscale PNG of 784 values in [0, 1]. */
  public static byte[] png28(float[] pixels) {
    return ChartFiles.png(MistakeGallery.toImage(pixels));
  }
}
