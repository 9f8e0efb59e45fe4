package dev.fmnist.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.ImageSet;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampleGridTest {
  @Test
  void rgbImagesAreDrawnInTheirColoursEnlarged() {
    DatasetSpec spec = new DatasetSpec("dots", 2, 2, 3, List.of("red", "blue"));
    byte[] pixels = new byte[2 * 12];
    for (int p = 0; p < 4; p++) {
      pixels[p * 3] = (byte) 200; // image 0: red
      pixels[12 + p * 3 + 2] = (byte) 220; // image 1: blue
    }
    BufferedImage grid = SampleGrid.render(new ImageSet(spec, pixels, new byte[] {0, 1}), 1, 5, "dots");
    int red = 0;
    int blue = 0;
    for (int y = 0; y < grid.getHeight(); y++) {
      for (int x = 0; x < grid.getWidth(); x++) {
        int rgb = grid.getRGB(x, y) & 0xffffff;
        red += rgb == 200 << 16 ? 1 : 0;
        blue += rgb == 220 ? 1 : 0;
      }
    }
    assertEquals(2 * 2 * 5 * 5, red); // each image pixel drawn as a 5x5 block
    assertEquals(2 * 2 * 5 * 5, blue);
  }

  @Test
  void aGridOverTheLimitIsRefusedAndFashionMnistsLargestFits() {
    DatasetSpec big = new DatasetSpec("big", 1024, 1024, 1,
        IntStream.range(0, 100).mapToObj(c -> "c" + c).toList());
    assertEquals(10L * (1024 * 3 + 4) * 100L * (1024 * 3 + 4), SampleGrid.gridPixels(big, 10, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleGrid.render(new ImageSet(big, new byte[0], new byte[0]), 10, 3, "big"));
    assertTrue(e.getMessage().contains("more than 100000000"), e.getMessage());
    // data samples' largest options on Fashion-MNIST (100 per class, scale 10) stay allowed
    assertTrue(SampleGrid.gridPixels(FashionMnist.SPEC, 100, 10) <= SampleGrid.MAX_PIXELS);
  }

  @Test
  void aMillionCharacterClassNameIsCutSoThePictureStaysTheGridsSize() {
    String huge = "W".repeat(1_000_000);
    DatasetSpec spec = new DatasetSpec("long", 2, 2, 1, List.of(huge, "b"));
    long start = System.nanoTime();
    BufferedImage grid = SampleGrid.render(new ImageSet(spec, new byte[8], new byte[] {0, 1}), 1, 1, "long");
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "took over 10 s");
    // margin + label + gap + one 2-pixel cell + margin; the title is wider than that
    assertTrue(grid.getWidth() <= 16 + SampleGrid.MAX_LABEL_WIDTH + 12 + 2 + 16, "width " + grid.getWidth());
  }

  @Test
  void fittedKeepsWhatFitsAndCutsTheRestWithAnEllipsis() {
    java.awt.FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
        .getFontMetrics(ChartStyle.SMALL);
    assertEquals("Sneaker", ChartStyle.fitted(fm, "Sneaker", 200));
    String cut = ChartStyle.fitted(fm, "Sneaker".repeat(40), 100);
    assertTrue(cut.endsWith("\u2026") && fm.stringWidth(cut.substring(0, cut.length() - 1)) <= 100, cut);
    // the kept part is the longest prefix that fits, less one character: one more does not fit
    assertTrue(fm.stringWidth("Sneaker".repeat(40).substring(0, cut.length() + 1)) > 100, cut);
    assertEquals("S\u2026", ChartStyle.fitted(fm, "Sneaker", 1)); // at least one character
    assertEquals("", ChartStyle.fitted(fm, "", 10));
    assertEquals("Sneaker", ChartStyle.fitted(fm, "Sneaker", Integer.MAX_VALUE));
    assertEquals("\ud83d\udc5f\u2026", ChartStyle.fitted(fm, "\ud83d\udc5f\ud83d\udc5f\ud83d\udc5f", 1)); // code points kept whole
  }
}
