package dev.fmnist;

import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Tiny generated datasets for fast tests. */
public final class TestData {
  private TestData() {}

  /** A tiny CNN with every kind of block that has state or randomness: batch norm and dropout. */
  public static final String TINY_RECIPE = """
      name: tiny
      model:
        layers:
          - conv: {filters: 4, kernel: 3, padding: same, batch_norm: true}
          - maxpool: {size: 4}
          - flatten: {}
          - dense: {units: 16}
          - dropout: {rate: 0.3}
          - dense: {units: 10, activation: none}
      training:
        epochs: 4
        batch_size: 25
        seed: 7
        validation_split: 50
        adam: {learning_rate: 0.01}
        checkpoints_kept: 5
      """;

  /**
   * {@code n} images whose class is easy to see: class c lights rows 2c..2c+3 (bright) over
   * low noise. Labels cycle 0..9 so every class is present.
   */
  public static ImageSet separable(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] pixels = new byte[n * FashionMnist.SPEC.valuesPerImage()];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int c = i % FashionMnist.SPEC.classes();
      labels[i] = (byte) c;
      for (int k = 0; k < FashionMnist.SPEC.valuesPerImage(); k++) {
        int row = k / FashionMnist.SPEC.width();
        int v = rng.nextInt(40);
        if (row >= 2 * c + 4 && row < 2 * c + 7) {
          v = 180 + rng.nextInt(76);
        }
        pixels[i * FashionMnist.SPEC.valuesPerImage() + k] = (byte) v;
      }
    }
    return new ImageSet(FashionMnist.SPEC, pixels, labels);
  }

  /** IDX bytes of an image file. */
  public static byte[] imagesIdx(ImageSet set) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeInt(0x00000803);
      out.writeInt(set.size());
      out.writeInt(set.spec().height());
      out.writeInt(set.spec().width());
      out.write(set.pixels());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bos.toByteArray();
  }

  /** IDX bytes of a label file. */
  public static byte[] labelsIdx(ImageSet set) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeInt(0x00000801);
      out.writeInt(set.size());
      out.write(set.rawLabels());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bos.toByteArray();
  }

  /** gzip of {@code bytes}. */
  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bos.toByteArray();
  }

  /** Writes a complete tiny dataset (four gzip IDX files) into {@code dir}; returns {@code dir}. */
  public static Path writeDataset(Path dir, ImageSet train, ImageSet test) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(imagesIdx(train)));
    Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labelsIdx(train)));
    Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(imagesIdx(test)));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labelsIdx(test)));
    return dir;
  }
}
