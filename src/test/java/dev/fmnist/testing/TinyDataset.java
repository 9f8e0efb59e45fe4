package dev.fmnist.testing;

import dev.fmnist.data.FashionMnist;
import dev.fmnist.savedmodel.ImageLayout;
import dev.fmnist.data.LabeledImages;

/**
 * Small labelled image sets for the band model of {@link TinyModels}: image {@code i} has label
 * {@code i % 10}; its band is bright, and every {@code mistakeEvery}-th image also has a brighter
 * band of the next class, so the model gets it wrong.
 */
public final class TinyDataset implements LabeledImages {
  private final byte[] pixels;
  private final int[] labels;

  @Override
  public dev.fmnist.data.DatasetSpec spec() {
    return FashionMnist.SPEC;
  }

  private TinyDataset(byte[] pixels, int[] labels) {
    this.pixels = pixels;
    this.labels = labels;
  }

  /** {@code n} images; image {@code i} is a mistake when {@code i % mistakeEvery == mistakeEvery-1}. */
  public static TinyDataset of(int n, int mistakeEvery) {
    byte[] px = new byte[n * 784];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
      boolean mistake = mistakeEvery > 0 && i % mistakeEvery == mistakeEvery - 1;
      fillBand(px, i, labels[i], mistake ? 120 : 200 + i % 50);
      if (mistake) {
        fillBand(px, i, (labels[i] + 1) % 10, 250);
      }
    }
    return new TinyDataset(px, labels);
  }

  /** One image with band {@code band} at {@code value} (0-255), as bytes. */
  public static byte[] bandImage(int band, int value) {
    byte[] px = new byte[784];
    fillBand(px, 0, band, value);
    return px;
  }

  private static void fillBand(byte[] px, int image, int band, int value) {
    for (int r = 4 + 2 * band; r < 6 + 2 * band; r++) {
      for (int c = 2; c < 26; c++) {
        px[image * 784 + r * 28 + c] = (byte) value;
      }
    }
  }

  /** The same images as a data-layer image set. */
  public dev.fmnist.data.ImageSet toImageSet() {
    byte[] l = new byte[labels.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = (byte) labels[i];
    }
    return new dev.fmnist.data.ImageSet(FashionMnist.SPEC, pixels.clone(), l);
  }

  /** Writes this set as both the train and test files of a dataset directory; returns it. */
  public java.nio.file.Path writeDataset(java.nio.file.Path dir) throws java.io.IOException {
    return dev.fmnist.TestData.writeDataset(dir, toImageSet(), toImageSet());
  }

  /** The raw pixels, {@code size * 784} unsigned bytes. */
  public byte[] pixels() {
    return pixels.clone();
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  @Override
  public void copyScaled(int i, float[] dst, int offset) {
    for (int p = 0; p < FashionMnist.SPEC.valuesPerImage(); p++) {
      dst[offset + p] = (pixels[i * 784 + p] & 0xff) / 255f;
    }
  }
}
