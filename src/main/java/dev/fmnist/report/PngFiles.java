package dev.fmnist.report;

import dev.fmnist.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes images and charts as PNG files, atomically (see {@link AtomicFiles}). */
public final class PngFiles {
  private PngFiles() {}

  /**
   * Writes {@code image} to {@code target}.
   *
   * @param target the file to write
   * @param image the image
   * @throws dev.fmnist.StorageException when the file cannot be written
   */
  public static void write(Path target, BufferedImage image) {
    AtomicFiles.write(
        target,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
          }
        });
  }

  /**
   * Draws {@code chart} at {@code width x height} pixels into {@code target}.
   *
   * @param target the file to write
   * @param chart the chart
   * @param width the width in pixels
   * @param height the height in pixels
   * @throws dev.fmnist.StorageException when the file cannot be written
   */
  public static void write(Path target, JFreeChart chart, int width, int height) {
    AtomicFiles.write(target, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
  }
}
