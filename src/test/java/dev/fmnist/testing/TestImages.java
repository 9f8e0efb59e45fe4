package dev.fmnist.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Image files like users would pass to {@code fmnist predict}. */
public final class TestImages {
  private TestImages() {}

  /**
   * A {@code 5 * 28} pixel square photo of the band model's class {@code band}: a dark band on a
   * light coloured background, with dark specks in two corners so the item spans the frame.
   */
  public static BufferedImage bandPhoto(int band) {
    int s = 5;
    BufferedImage img = new BufferedImage(28 * s, 28 * s, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(250, 245, 235));
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(new Color(20, 30, 60));
    g.fillRect(2 * s, (4 + 2 * band) * s, 24 * s, 2 * s);
    g.fillRect(0, 0, 2, 2);
    g.fillRect(img.getWidth() - 2, img.getHeight() - 2, 2, 2);
    g.dispose();
    return img;
  }

  /** Writes {@code img} as {@code format} ("png" or "jpg") to {@code file}; returns the file. */
  public static Path write(BufferedImage img, String format, Path file) throws IOException {
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }
}
