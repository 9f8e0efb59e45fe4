package dev.fmnist.report;

import dev.fmnist.StorageException;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Renders charts to PNG and SVG bytes and writes them atomically. */
public final class ChartFiles {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ChartFiles() {}

  /**
   * A rendered chart or picture.
   *
   * @param name the file stem, e.g. {@code confusion-matrix}
   * @param title what it shows, for the HTML report
   * @param png the PNG bytes
   * @param svg the SVG document, or null for pictures that are only PNG
   */
  public record Rendered(String name, String title, byte[] png, String svg) {
    /**
     * Writes {@code name.png} (and {@code name.svg}) into {@code dir}.
     *
     * @param dir the report directory
     * @throws dev.fmnist.StorageException when a file cannot be written
     */
    public void writeTo(Path dir) {
      AtomicFiles.write(dir.resolve(name + ".png"), png);
      if (svg != null) {
        AtomicFiles.write(dir.resolve(name + ".svg"), svg.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Renders {@code chart} at {@code width x height} as PNG and SVG.
   *
   * @param name the file stem, e.g. {@code confusion-matrix}
   * @param title what it shows, for the HTML report
   * @param chart the chart
   * @param width the width in pixels
   * @param height the height in pixels
   * @return the PNG bytes and the SVG document
   */
  public static Rendered render(String name, String title, JFreeChart chart, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    SVGGraphics2D svg = new SVGGraphics2D(width, height);
    chart.draw(svg, new Rectangle2D.Double(0, 0, width, height));
    return new Rendered(name, title, png(img), svg.getSVGDocument());
  }

  /**
   * Wraps a picture drawn directly (not a chart) as PNG only.
   *
   * @param name the file stem
   * @param title what it shows, for the HTML report
   * @param image the picture
   * @return the PNG bytes, without SVG
   */
  public static Rendered picture(String name, String title, BufferedImage image) {
    return new Rendered(name, title, png(image), null);
  }

  /**
   * PNG bytes of an image.
   *
   * @param image the image
   * @return the PNG file's bytes
   * @throws dev.fmnist.StorageException when the image cannot be encoded
   */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bos);
    } catch (IOException e) {
      throw new StorageException("cannot encode PNG: " + e.getMessage(), e);
    }
    return bos.toByteArray();
  }
}
