package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageSetTest {
  @Test
  void checksLengthsAndLabels() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ImageSet(FashionMnist.SPEC, new byte[785], new byte[1]));
    assertEquals("pixels: length 785 is not 1 labels x 784 = 784", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ImageSet(FashionMnist.SPEC, new byte[784 * 2], new byte[] {3, 10}));
    assertEquals("label 10 at index 1 is outside 0-9", e.getMessage());
  }

  @Test
  void subsetsCountsAndScales() {
    ImageSet set = IdxFixtures.tinySet(2, 1);
    ImageSet sub = set.subset(new int[] {5, 0, 5});
    assertArrayEquals(new byte[] {5, 0, 5}, sub.rawLabels());
    assertEquals(set.pixel(5, 100), sub.pixel(2, 100));
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 2, 0, 0, 0, 0}, sub.classCounts());
    assertThrows(IndexOutOfBoundsException.class, () -> set.subset(new int[] {20}));
    float[] dst = new float[FashionMnist.SPEC.valuesPerImage() + 2];
    set.copyScaled(3, dst, 2);
    for (int k = 0; k < FashionMnist.SPEC.valuesPerImage(); k++) {
      assertEquals(set.pixel(3, k) / 255f, dst[k + 2]);
    }
    assertEquals(10, FashionMnist.CLASS_NAMES.size());
  }

  @Test
  void pixelStatisticsFromAHistogram() {
    long[] histogram = new long[256];
    histogram[0] = 3;
    histogram[10] = 1;
    histogram[255] = 2;
    PixelStatistics s = PixelStatistics.fromHistogram(histogram);
    assertEquals(6, s.pixelCount());
    assertEquals(520 / 6.0, s.mean(), 1e-12);
    double mean = 520 / 6.0;
    double variance = (3 * mean * mean + (10 - mean) * (10 - mean) + 2 * (255 - mean) * (255 - mean)) / 6;
    assertEquals(Math.sqrt(variance), s.standardDeviation(), 1e-9);
    assertEquals(5.0, s.median());
    histogram[255] = 3;
    assertEquals(10.0, PixelStatistics.fromHistogram(histogram).median());
    ImageSet set = IdxFixtures.tinySet(1, 0);
    assertEquals(7840, PixelStatistics.of(set).pixelCount());
  }
}
