package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void loadsAllFourFilesGzipOrRawWithTheirHashes() throws IOException {
    ImageSet train = IdxFixtures.tinySet(3, 1);
    ImageSet test = IdxFixtures.tinySet(2, 2);
    for (boolean gzip : new boolean[] {true, false}) {
      Path d = IdxFixtures.writeDataset(dir.resolve("gz" + gzip), train, test, gzip);
      FashionMnist data = FashionMnist.load(d);
      assertArrayEquals(train.pixels(), data.train().pixels());
      assertArrayEquals(test.labels(), data.test().labels());
      assertEquals(d, data.directory());
      assertEquals(FashionMnist.FILES, List.copyOf(data.sha256().keySet()));
      assertEquals(IdxFixtures.sha256(IdxFixtures.imagesIdx(train)), data.sha256().get("train-images-idx3-ubyte"));
      assertEquals(IdxFixtures.sha256(IdxFixtures.labelsIdx(test)), data.sha256().get("t10k-labels-idx1-ubyte"));
      assertArrayEquals(test.pixels(), FashionMnist.loadTest(d).pixels());
    }
  }

  @Test
  void rejectsLabelsThatDoNotMatchTheImageCount() throws IOException {
    Path d = IdxFixtures.writeTinyDataset(dir);
    Files.delete(d.resolve("t10k-labels-idx1-ubyte.gz"));
    Files.write(d.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labelsIdx(IdxFixtures.tinySet(1, 2)));
    FmnistException e = assertThrows(FmnistException.class, () -> FashionMnist.load(d));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertEquals(
        d.resolve("t10k-labels-idx1-ubyte") + ": has 10 labels but t10k-images-idx3-ubyte.gz has 20 images",
        e.getMessage());
  }

  @Test
  void namesAMissingFileAndHowToGetIt() throws IOException {
    Path d = IdxFixtures.writeTinyDataset(dir);
    Files.delete(d.resolve("train-images-idx3-ubyte.gz"));
    FmnistException e = assertThrows(FmnistException.class, () -> FashionMnist.load(d));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(d + ": train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) not found"), e.getMessage());
    assertTrue(e.getMessage().contains("fmnist data download --data-dir " + d), e.getMessage());
    assertEquals(20, FashionMnist.loadTest(d).size());
  }

  @Test
  void prefersTheRawFileWhenBothExist() throws IOException {
    Path d = IdxFixtures.writeTinyDataset(dir);
    Files.write(d.resolve("t10k-images-idx3-ubyte"), IdxFixtures.imagesIdx(IdxFixtures.tinySet(2, 2)));
    assertEquals(d.resolve("t10k-images-idx3-ubyte"), FashionMnist.file(d, FashionMnist.TEST_IMAGES));
    assertEquals(d.resolve("t10k-labels-idx1-ubyte.gz"), FashionMnist.file(d, FashionMnist.TEST_LABELS));
    assertTrue(FashionMnist.isComplete(d));
    Files.delete(d.resolve("t10k-labels-idx1-ubyte.gz"));
    assertTrue(!FashionMnist.isComplete(d));
  }
}
