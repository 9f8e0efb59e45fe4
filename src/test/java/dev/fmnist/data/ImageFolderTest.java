package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.testing.GeneratedImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image-folder datasets: layout, conversion, the test split, and the exact message of each bad case. */
class ImageFolderTest {
  @TempDir Path tmp;
  Path root;

  @BeforeEach
  void photos() throws Exception {
    root = GeneratedImages.colourSquares(tmp.resolve("photos"), 6, 3, 5);
  }

  private Dataset load(boolean skip) {
    return ImageFolder.load(root, 16, 16, 3, skip, 0.2, 0, LoadListener.NONE);
  }

  private String error(Runnable r) {
    DatasetException e = assertThrows(DatasetException.class, r::run);
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void classesAreTheSortedFolderNamesAndEveryImageIsResized() {
    List<String> progress = new ArrayList<>();
    Dataset d = ImageFolder.load(root, 16, 16, 3, false, 0.2, 0, new LoadListener() {
      @Override
      public void started(String what, int total) {
        progress.add("start " + total);
      }

      @Override
      public void progressed(int done) {
        progress.add("done " + done);
      }
    });
    assertEquals(new DatasetSpec("photos", 16, 16, 3, GeneratedImages.COLOURS), d.spec());
    assertEquals(18, d.train().size());
    assertEquals(9, d.test().size());
    assertEquals(List.of(6, 6, 6), java.util.Arrays.stream(d.train().classCounts()).boxed().toList());
    assertEquals(List.of("start 27", "done 18", "done 27"), progress);
    Dataset.Provenance p = d.provenance();
    assertEquals("folder", p.format());
    assertEquals(root.toString(), p.source());
    assertEquals(27, p.files());
    assertEquals(java.util.Set.of("train", "test"), p.sha256().keySet());
    assertNull(p.testSplit());
    assertTrue(p.skipped().isEmpty());
    // the same files give the same hash; changing one file changes it
    assertEquals(p.sha256(), load(false).provenance().sha256());
  }

  @Test
  void theTestSetAloneIsReadWithoutTheTrainingImages() throws Exception {
    Dataset all = load(false);
    Files.writeString(root.resolve("train/red/002.png"), "a bad training file is not read");
    ImageSet test = ImageFolder.loadTest(root, 16, 16, 3, false, 0.2, 0, LoadListener.NONE);
    assertTrue(java.util.Arrays.equals(all.test().pixels(), test.pixels()));
    assertEquals(all.spec(), test.spec());
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("test"));
    Files.delete(root.resolve("train/red/002.png"));
    assertEquals(3, ImageFolder.loadTest(root, 16, 16, 3, false, 0.2, 0, LoadListener.NONE).size());
  }

  @Test
  void withoutTestFoldersASeededStratifiedTestSetIsHeldOutAndRecorded() throws Exception {
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("test"));
    Dataset d = ImageFolder.load(root, 16, 16, 3, false, 1.0 / 3, 7, LoadListener.NONE);
    assertEquals(12, d.train().size());
    assertEquals(6, d.test().size());
    assertEquals(List.of(2, 2, 2), java.util.Arrays.stream(d.test().classCounts()).boxed().toList());
    assertEquals(new Dataset.TestSplit(1.0 / 3, 7), d.provenance().testSplit());
    Dataset again = ImageFolder.load(root, 16, 16, 3, false, 1.0 / 3, 7, LoadListener.NONE);
    assertTrue(java.util.Arrays.equals(d.test().pixels(), again.test().pixels()));
  }

  @Test
  void aFileThatIsNotAnImageIsRefusedNamingIt() throws Exception {
    Path bad = Files.writeString(root.resolve("train/green/004.png"), "not a picture");
    assertEquals(bad + ": not a PNG or JPEG image (data.skip_bad_files: true skips such files)",
        error(() -> load(false)));
  }

  @Test
  void withSkipBadFilesBadFilesAreSkippedAndListed() throws Exception {
    Path bad = Files.writeString(root.resolve("train/green/002.png"), "not a picture");
    Path truncated = root.resolve("test/red/001.png");
    byte[] full = Files.readAllBytes(truncated);
    Files.write(truncated, java.util.Arrays.copyOf(full, 40));
    Dataset d = load(true);
    assertEquals(17, d.train().size());
    assertEquals(8, d.test().size());
    assertEquals(25, d.provenance().files());
    List<String> skipped = d.provenance().skipped();
    assertEquals(2, skipped.size());
    assertEquals(bad + ": not a PNG or JPEG image", skipped.get(0));
    assertTrue(skipped.get(1).startsWith(truncated + ": not a readable image ("), skipped.get(1));
  }

  @Test
  void anImageWithAbsurdDimensionsIsRefusedFromItsHeader() throws Exception {
    Path huge = GeneratedImages.hugePng(root.resolve("train/blue/huge.png"), 30000, 30000);
    assertEquals(huge + ": image is 30000x30000 pixels (width x height); fmnist reads images of at most 16384 pixels"
        + " per side and 100 megapixels (data.skip_bad_files: true skips such files)", error(() -> load(false)));
    assertEquals(1, load(true).provenance().skipped().size());
  }

  @Test
  void emptyFoldersMissingOrExtraTestClassesAndTooFewClasses() throws Exception {
    Path green = root.resolve("train/green");
    try (var s = Files.list(green)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.writeString(green.resolve("notes.txt"), "other files are ignored");
    assertEquals(green + ": empty class folder (no .png, .jpg or .jpeg files)", error(() -> load(false)));
    dev.fmnist.AtomicFiles.deleteQuietly(green);
    assertEquals(root.resolve("test/green") + ": class folder not in train/ (the classes are the folders of train/)",
        error(() -> load(false)));
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("test/green"));
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("test/red"));
    assertEquals(root.resolve("test") + ": no folder for class 'red' of train/", error(() -> load(false)));
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("test"));
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("train/red"));
    assertEquals(root.resolve("train") + ": 1 class folder (blue); a dataset needs at least 2", error(() -> load(false)));
    dev.fmnist.AtomicFiles.deleteQuietly(root.resolve("train"));
    assertEquals(root + ": no train/ folder (expected train/<class>/*.png|jpg|jpeg and optionally test/<class>/...)",
        error(() -> load(false)));
    assertEquals(tmp.resolve("nowhere") + ": no such directory (expected train/<class>/*.png|jpg|jpeg and"
        + " optionally test/<class>/...)",
        error(() -> ImageFolder.load(tmp.resolve("nowhere"), 16, 16, 3, false, 0.2, 0, LoadListener.NONE)));
  }

  @Test
  void labelledFoldersAreMatchedByClassNameOrLabelNumberInAnyCase() throws Exception {
    DatasetSpec model = new DatasetSpec("m", 8, 8, 1, List.of("T-shirt/top", "Trouser", "Bag"));
    Path dir = tmp.resolve("labelled");
    GeneratedImages.grayPng(dir.resolve("t-shirt_TOP/a.png"), 2, 10, 20, 30, 40);
    GeneratedImages.grayPng(dir.resolve("2/b.PNG"), 2, 50, 60, 70, 80);
    ImageFolder.Images read = ImageFolder.readLabelled(dir, model, LoadListener.NONE);
    assertEquals(2, read.images().size());
    assertEquals(2, read.images().label(0)); // folders sort as "2" < "t-shirt_TOP"
    assertEquals(0, read.images().label(1));
    Files.createDirectories(dir.resolve("Sandal"));
    Files.createDirectories(dir.resolve("7"));
    assertEquals(dir + ": folders 7, Sandal match no class of the model (name each folder by a label 0-2 or a class"
        + " name: T-shirt_top, Trouser, Bag)", error(() -> ImageFolder.readLabelled(dir, model, LoadListener.NONE)));
    dev.fmnist.AtomicFiles.deleteQuietly(dir.resolve("Sandal"));
    dev.fmnist.AtomicFiles.deleteQuietly(dir.resolve("7"));
    GeneratedImages.grayPng(dir.resolve("0/c.png"), 2, 1, 2, 3, 4);
    assertEquals(dir + ": folders 0 and t-shirt_TOP both name class 0 (T-shirt/top)",
        error(() -> ImageFolder.readLabelled(dir, model, LoadListener.NONE)));
  }

  @Test
  void aGrayscaleFileKeepsItsExactValuesAndColourBecomesLuminance() throws Exception {
    Path gray = GeneratedImages.grayPng(tmp.resolve("g/a.png"), 2, 0, 64, 128, 255);
    byte[] out = new byte[4];
    ImageFiles.toDatasetPixels(ImageFiles.decode(gray, Files.readAllBytes(gray)), 2, 2, 1, out, 0);
    assertEquals(List.of(0, 64, 128, 255), List.of(out[0] & 0xff, out[1] & 0xff, out[2] & 0xff, out[3] & 0xff));
    byte[] one = new byte[1];
    ImageFiles.toDatasetPixels(ImageFiles.decode(gray, Files.readAllBytes(gray)), 1, 1, 1, one, 0);
    assertEquals(Math.round((0 + 64 + 128 + 255) / 4.0), one[0] & 0xff); // area mean
    java.awt.image.BufferedImage red = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
    red.setRGB(0, 0, 0xC81E1E);
    ImageFiles.toDatasetPixels(red, 1, 1, 1, one, 0);
    assertEquals(Math.round(0.299 * 200 + 0.587 * 30 + 0.114 * 30), one[0] & 0xff);
    byte[] rgb = new byte[3];
    ImageFiles.toDatasetPixels(ImageFiles.decode(gray, Files.readAllBytes(gray)), 1, 1, 3, rgb, 0);
    for (byte v : rgb) {
      assertEquals(Math.round((0 + 64 + 128 + 255) / 4.0), v & 0xff);
    }
  }
}
