package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import dev.fmnist.testing.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path tmp;

  @Test
  void negatesALightBackgroundAndShrinksByAreaAveraging() throws Exception {
    Path f = TestImages.write(TestImages.bandPhoto(3), "png", tmp.resolve("band3.png"));
    PreparedImage p = ImageFiles.read(f, FashionMnist.SPEC);
    assertTrue(p.inverted());
    assertEquals(140, p.width());
    // band 3 covers rows 10 and 11, columns 2..25: light on black after negation
    assertTrue(p.pixels()[10 * 28 + 14] > 0.85f, "band pixel " + p.pixels()[10 * 28 + 14]);
    assertTrue(p.pixels()[11 * 28 + 2] > 0.85f);
    assertTrue(p.pixels()[9 * 28 + 14] < 0.05f, "above the band");
    assertTrue(p.pixels()[12 * 28 + 14] < 0.05f, "below the band");
  }

  @Test
  void keepsADarkBackgroundAndTheAspectRatio() {
    // 200 x 100, black, with a white rectangle filling it: fits as 28 x 14, centred vertically
    BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 200, 100);
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, 200, 2); // thin dark top edge keeps the border mean low
    g.fillRect(0, 98, 200, 2);
    g.fillRect(0, 0, 2, 100);
    g.fillRect(198, 0, 2, 100);
    g.dispose();
    PreparedImage p = ImageFiles.prepare(img, FashionMnist.SPEC);
    assertFalse(p.inverted());
    // the item (196 x 96 after cropping) becomes 28 x 14 rows 7..20
    assertEquals(0f, p.pixels()[6 * 28 + 14]);
    assertTrue(p.pixels()[7 * 28 + 14] > 0.9f);
    assertTrue(p.pixels()[20 * 28 + 14] > 0.9f);
    assertEquals(0f, p.pixels()[21 * 28 + 14]);
  }

  @Test
  void refusesFilesThatAreNotImages() throws Exception {
    Path txt = Files.writeString(tmp.resolve("notes.txt"), "hello\n");
    FmnistException e = assertThrows(FmnistException.class, () -> ImageFiles.read(txt, FashionMnist.SPEC));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertEquals(txt + ": not a PNG or JPEG image", e.getMessage());
    e = assertThrows(FmnistException.class, () -> ImageFiles.read(tmp.resolve("missing.png"), FashionMnist.SPEC));
    assertEquals(tmp.resolve("missing.png") + ": no such file", e.getMessage());
  }
}
