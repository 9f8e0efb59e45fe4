package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    data = TinyDataset.of(20, 6).writeDataset(tmp.resolve("data"));
    model = TinyModels.export(tmp.resolve("conv/1"), Spec.fmnist().withConv());
  }

  @Test
  void writesOnePicturePerTestImageAndFile() throws Exception {
    Path png = TestImages.write(TestImages.bandPhoto(4), "png", tmp.resolve("coat.png"));
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("explain", model.toString(), png.toString(), "--test-index", "5,7",
        "--data-dir", data.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("coat.png: predicted Coat "), r.out());
    assertTrue(r.out().contains("test image #5, true class Sandal: predicted Shirt "), r.out());
    assertTrue(r.out().contains("Grad-CAM on conv_relu, and saliency maps"), r.out());
    for (String name : new String[] {"coat.png", "test-5.png", "test-7.png"}) {
      var img = ImageIO.read(out.resolve(name).toFile());
      assertTrue(img.getWidth() > 500 && img.getHeight() > 400, name);
    }
  }

  @Test
  void explainsTheClassAskedFor() {
    CliRun r = CliRun.of("explain", model.toString(), "--test-index", "1", "--class", "sandal",
        "--data-dir", data.toString(), "--out", tmp.resolve("out2").toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("predicted Trouser 0.") && r.out().contains(", explaining Sandal 0."),
        r.out());
    assertTrue(Files.isRegularFile(tmp.resolve("out2/test-1.png")));
  }

  @Test
  void refusesBadRequests() {
    CliRun none = CliRun.of("explain", model.toString());
    assertEquals(2, none.code());
    assertEquals("error: explain: name IMAGE files or --test-index N (or both)\n", none.err());
    CliRun range = CliRun.of("explain", model.toString(), "--test-index", "20",
        "--data-dir", data.toString());
    assertEquals("error: --test-index: must be in [0, 20), found 20\n", range.err());
    CliRun cls = CliRun.of("explain", model.toString(), "--test-index", "1", "--class", "hat",
        "--data-dir", data.toString());
    assertEquals(2, cls.code());
    assertTrue(cls.err().startsWith("error: --class: expected a label 0-9 or one of T-shirt/top,"),
        cls.err());
  }
}
