package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.data.FashionMnist;
import dev.fmnist.report.ClassMatrixCharts;
import dev.fmnist.testing.GeneratedImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 47-class model (EMNIST Balanced has 47) trained on a generated IDX set, evaluated: every chart
 * and table of the report is drawn for 47 classes, the heat maps at a size that keeps their cells
 * labelled. (The PNGs were looked at when this test was written; it checks their sizes.)
 */
class ManyClassesReportTest {
  @TempDir Path tmp;

  @Test
  void aFortySevenClassReportHasEveryChartAtAReadableSize() throws Exception {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < 47; c++) {
      names.add(String.format(Locale.ROOT, "%s %02d", FashionMnist.CLASS_NAMES.get(c % 10), c));
    }
    Path data = GeneratedImages.idxDataset(tmp.resolve("emnist-like"), GeneratedImages.bands(47 * 8, 47, names, 1),
        GeneratedImages.bands(47 * 4, 47, names, 2), names);
    Path recipe = Files.writeString(tmp.resolve("many.yaml"), """
        name: many
        model:
          layers:
            - flatten: {}
            - dense: {activation: none}
        data:
          format: idx
          path: emnist-like
          image_size: [16, 16]
        training:
          epochs: 2
          batch_size: 32
          validation_split: 0
          adam: {learning_rate: 0.01}
        """);
    CliRun t = CliRun.of("train", "--config", recipe.toString(), "--out", tmp.resolve("models").toString(),
        "--run-dir", tmp.resolve("run").toString(), "--threads", "2");
    assertEquals(0, t.code(), t.toString());
    Path report = tmp.resolve("report");
    CliRun e = CliRun.of("evaluate", tmp.resolve("models/many/1").toString(), "--images",
        writeImages().toString(), "--report-dir", report.toString());
    assertEquals(0, e.code(), e.toString());
    BufferedImage matrix = ImageIO.read(report.resolve("confusion-matrix.png").toFile());
    assertEquals(ClassMatrixCharts.width(47), matrix.getWidth());
    assertEquals(1334, matrix.getWidth());
    assertEquals(ClassMatrixCharts.height(47), matrix.getHeight());
    assertEquals(200 + 26 * 47, ImageIO.read(report.resolve("per-class-metrics.png").toFile()).getWidth());
    assertTrue(ImageIO.read(report.resolve("mistakes.png").toFile()).getHeight() > 47 * 100);
    String html = Files.readString(report.resolve("report.html"));
    assertTrue(html.contains("<td>46 Shirt 46</td>"), "a row per class");
    assertTrue(html.contains("class=\"full\" alt=\"Confusion matrix, counts\""), "wide charts at full size");
    assertTrue(e.out().contains("  Shirt 46  "), e.out());
  }

  private Path writeImages() {
    Path out = tmp.resolve("images");
    CliRun w = CliRun.of("data", "images", "--config", tmp.resolve("many.yaml").toString(), "--out", out.toString(),
        "--split", "test");
    assertEquals(0, w.code(), w.toString());
    return out.resolve("test");
  }
}
