package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads the real dataset where Debian's {@code dataset-fashion-mnist} is installed; skipped elsewhere. */
class RealDatasetTest {
  @Test
  void theInstalledDatasetHasTheKnownHashesAndStatistics() {
    Path dir = DatasetLocator.DEBIAN_DIR;
    assumeTrue(FashionMnist.isComplete(dir), dir + " not installed");
    FashionMnist data = FashionMnist.load(dir);
    assertEquals(DatasetFile.knownSha256(), data.sha256());
    assertEquals(60_000, data.train().size());
    assertEquals(10_000, data.test().size());
    int[] sixThousand = new int[10];
    java.util.Arrays.fill(sixThousand, 6000);
    assertArrayEquals(sixThousand, data.train().classCounts());
    PixelStatistics s = PixelStatistics.of(data.train());
    assertEquals("72.94", String.format(java.util.Locale.ROOT, "%.2f", s.mean()));
    assertEquals("90.02", String.format(java.util.Locale.ROOT, "%.2f", s.standardDeviation()));
    assertEquals(0.0, s.median());
  }
}
