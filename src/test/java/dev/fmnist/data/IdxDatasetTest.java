package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.testing.GeneratedImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX datasets other than Fashion-MNIST: a 3-class 16x16 set, its class names, resizing, bad files. */
class IdxDatasetTest {
  static final List<String> NAMES = List.of("low", "middle", "high");

  @TempDir Path tmp;

  private Path write(List<String> classesTxt) throws Exception {
    return GeneratedImages.idxDataset(tmp.resolve("bands"), GeneratedImages.bands(30, 16, NAMES, 1),
        GeneratedImages.bands(12, 16, NAMES, 2), classesTxt);
  }

  @Test
  void readsA3Class16x16SetWithItsClassesTxt() throws Exception {
    Path dir = write(NAMES);
    Dataset d = IdxDataset.load(dir, null, 0, 0, 1);
    assertEquals(new DatasetSpec("bands", 16, 16, 1, NAMES), d.spec());
    assertEquals(30, d.train().size());
    assertEquals(12, d.test().size());
    assertArrayEquals(GeneratedImages.bands(30, 16, NAMES, 1).pixels(), d.train().pixels());
    assertEquals("idx", d.provenance().format());
    assertEquals(5, d.provenance().files());
    assertEquals(FashionMnist.FILES.stream().sorted().toList(), d.provenance().sha256().keySet().stream().sorted().toList());
  }

  @Test
  void classNamesComeFromTheRecipeElseClassesTxtElseNumbers() throws Exception {
    Path dir = write(NAMES);
    assertEquals(List.of("a", "b", "c"), IdxDataset.load(dir, List.of("a", "b", "c"), 0, 0, 1)
        .spec().classNames());
    Files.delete(dir.resolve(IdxDataset.CLASSES_FILE));
    assertEquals(List.of("0", "1", "2"), IdxDataset.load(dir, null, 0, 0, 1).spec().classNames());
  }

  @Test
  void aLabelBeyondTheClassNamesNamesTheFile() throws Exception {
    Path dir = write(List.of("low", "middle"));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.load(dir, null, 0, 0, 1));
    assertEquals(dir.resolve("train-labels-idx1-ubyte.gz") + ": label 2 at index 2 is outside 0-1 (the 2 classes of"
        + " classes.txt)", e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
  }

  @Test
  void resizesAndRepeatsTheGrayValueForRgb() throws Exception {
    Path dir = write(NAMES);
    Dataset d = IdxDataset.load(dir, null, 8, 8, 3);
    assertEquals(new DatasetSpec("bands", 8, 8, 3, NAMES), d.spec());
    ImageSet original = GeneratedImages.bands(30, 16, NAMES, 1);
    // pixel (0, 0) of image 0 is the mean of the 2x2 block at the top left, in all three channels
    int mean = (int) Math.round((original.pixel(0, 0) + original.pixel(0, 1) + original.pixel(0, 16)
        + original.pixel(0, 17)) / 4.0);
    for (int ch = 0; ch < 3; ch++) {
      assertEquals(mean, d.train().pixel(0, ch));
    }
  }

  @Test
  void missingFilesAndMismatchedSizesAreOneLineErrors() throws Exception {
    Path dir = write(null);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.load(dir, null, 0, 0, 1));
    assertEquals(dir + ": t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) not found; an idx dataset has the"
        + " four files named as in Fashion-MNIST", e.getMessage());
    Path other = GeneratedImages.idxDataset(tmp.resolve("mixed"), GeneratedImages.bands(30, 16, NAMES, 1),
        GeneratedImages.bands(12, 12, NAMES, 2), null);
    e = assertThrows(DatasetException.class, () -> IdxDataset.load(other, null, 0, 0, 1));
    assertEquals(other.resolve("t10k-images-idx3-ubyte.gz") + ": images are 12x12, but train-images-idx3-ubyte.gz"
        + " has 16x16", e.getMessage());
  }

  @Test
  void aBadClassesTxtNamesItsLine() throws Exception {
    Path dir = write(List.of("low", "", "high"));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.load(dir, null, 0, 0, 1));
    assertEquals(dir.resolve("classes.txt") + ": line 2: blank class name", e.getMessage());
  }
}
