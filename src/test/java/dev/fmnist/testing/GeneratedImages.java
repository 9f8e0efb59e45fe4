package dev.fmnist.testing;

import dev.fmnist.TestData;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageSet;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Generated datasets of image files and IDX files, for tests of the folder and IDX loaders. */
public final class GeneratedImages {
  /** The classes of {@link #colourSquares}, sorted as folder names sort. */
  public static final List<String> COLOURS = List.of("blue", "green", "red");
  private static final Color[] COLOUR_VALUES = {new Color(40, 60, 210), new Color(40, 190, 60), new Color(210, 40, 40)};

  private GeneratedImages() {}

  /**
   * Writes photos of coloured squares, {@code root/train/<colour>/NNN.png} ({@code perClassTrain}
   * per class) and {@code root/test/<colour>/...} ({@code perClassTest}, none: no {@code test/}):
   * each 12 to 40 pixels per side on a noisy gray background, the square of the class's colour
   * anywhere in it; every fifth file is a JPEG. Returns {@code root}.
   */
  public static Path colourSquares(Path root, int perClassTrain, int perClassTest, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    for (String part : perClassTest > 0 ? List.of("train", "test") : List.of("train")) {
      int n = part.equals("train") ? perClassTrain : perClassTest;
      for (int c = 0; c < COLOURS.size(); c++) {
        Path dir = Files.createDirectories(root.resolve(part).resolve(COLOURS.get(c)));
        for (int i = 0; i < n; i++) {
          BufferedImage img = colourSquare(c, rng);
          String format = i % 5 == 4 ? "jpg" : "png";
          TestImages.write(img, format, dir.resolve(String.format(Locale.ROOT, "%03d.%s", i, format)));
        }
      }
    }
    return root;
  }

  private static BufferedImage colourSquare(int c, SplittableRandom rng) {
    int w = 12 + rng.nextInt(29);
    int h = 12 + rng.nextInt(29);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int g = 70 + rng.nextInt(60);
        img.setRGB(x, y, new Color(g, g, g).getRGB());
      }
    }
    int side = Math.max(5, (int) (Math.min(w, h) * (0.5 + 0.3 * rng.nextDouble())));
    Graphics2D gr = img.createGraphics();
    gr.setColor(COLOUR_VALUES[c]);
    gr.fillRect(rng.nextInt(w - side + 1), rng.nextInt(h - side + 1), side, side);
    gr.dispose();
    return img;
  }

  /**
   * {@code n} grayscale {@code size x size} images of {@code classes} classes: class {@code c}
   * lights a horizontal band at its own height over low noise. Labels cycle.
   */
  public static ImageSet bands(int n, int size, List<String> classes, long seed) {
    DatasetSpec spec = new DatasetSpec("bands", size, size, 1, classes);
    SplittableRandom rng = new SplittableRandom(seed);
    int band = size / classes.size();
    byte[] pixels = new byte[n * spec.valuesPerImage()];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int c = i % classes.size();
      labels[i] = (byte) c;
      for (int k = 0; k < spec.valuesPerImage(); k++) {
        int row = k / size;
        int v = row >= c * band && row < (c + 1) * band ? 180 + rng.nextInt(76) : rng.nextInt(40);
        pixels[i * spec.valuesPerImage() + k] = (byte) v;
      }
    }
    return new ImageSet(spec, pixels, labels);
  }

  /** Writes {@code train} and {@code test} as the four IDX files of {@code dir}, with an optional classes.txt. */
  public static Path idxDataset(Path dir, ImageSet train, ImageSet test, List<String> classesTxt) throws IOException {
    TestData.writeDataset(dir, train, test);
    if (classesTxt != null) {
      Files.writeString(dir.resolve("classes.txt"), String.join("\n", classesTxt) + "\n", StandardCharsets.UTF_8);
    }
    return dir;
  }

  /**
   * A PNG whose header declares {@code width x height} pixels, followed by no image data: a
   * decoder that trusted it would allocate {@code width * height} pixels before finding the data
   * missing.
   */
  public static Path hugePng(Path file, int width, int height) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      try (DataOutputStream d = new DataOutputStream(ihdr)) {
        d.writeBytes("IHDR");
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grayscale, deflate, no filter, no interlace
      }
      byte[] chunk = ihdr.toByteArray();
      out.writeInt(chunk.length - 4);
      out.write(chunk);
      CRC32 crc = new CRC32();
      crc.update(chunk);
      out.writeInt((int) crc.getValue());
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, bos.toByteArray());
  }

  /** Writes a 1-pixel-per-value grayscale PNG of {@code values} ({@code width} per row). */
  public static Path grayPng(Path file, int width, int... values) throws IOException {
    BufferedImage img = new BufferedImage(width, values.length / width, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < values.length; i++) {
      img.getRaster().setSample(i % width, i / width, 0, values[i]);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
