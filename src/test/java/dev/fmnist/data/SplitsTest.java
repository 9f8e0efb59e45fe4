package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
  /** 100 images per class but class 9 has 40: 940 images, pixel 0..3 holds the image index. */
  private static ImageSet unevenSet() {
    int n = 940;
    byte[] pixels = new byte[n * FashionMnist.SPEC.valuesPerImage()];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i < 900 ? i % 9 : 9);
      pixels[i * FashionMnist.SPEC.valuesPerImage()] = (byte) (i >>> 8);
      pixels[i * FashionMnist.SPEC.valuesPerImage() + 1] = (byte) i;
    }
    return new ImageSet(FashionMnist.SPEC, pixels, labels);
  }

  private static int id(ImageSet set, int i) {
    return set.pixel(i, 0) << 8 | set.pixel(i, 1);
  }

  @Test
  void eachClassKeepsItsShare() {
    ImageSet set = unevenSet();
    Split split = Splits.stratified(set, 0.1, 42);
    assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 4}, split.validation().classCounts());
    assertArrayEquals(new int[] {90, 90, 90, 90, 90, 90, 90, 90, 90, 36}, split.train().classCounts());
  }

  @Test
  void aCountIsSharedByLargestRemainders() {
    Split split = Splits.stratified(unevenSet(), 25, 1);
    assertEquals(25, split.validation().size());
    // exact shares: 2.66 for classes 0-8, 1.06 for class 9; the 6 left after rounding down go to
    // the largest remainders, classes 0-5 (ties go to the lower label)
    assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 2, 2, 2, 1}, split.validation().classCounts());
    // exact shares 1.90, 1.90, 3.81, 0.38
    assertArrayEquals(new int[] {2, 2, 4, 0}, Splits.quotas(new int[] {5, 5, 10, 1}, 8, 21));
  }

  @Test
  void thePartsAreDisjointCoverTheSetAndKeepItsOrder() {
    ImageSet set = unevenSet();
    Split split = Splits.stratified(set, 0.2, 7);
    Set<Integer> seen = new HashSet<>();
    for (ImageSet part : new ImageSet[] {split.train(), split.validation()}) {
      for (int i = 0; i < part.size(); i++) {
        assertTrue(seen.add(id(part, i)), "image " + id(part, i) + " is in both parts");
        assertEquals(set.label(id(part, i)), part.label(i));
        if (i > 0) {
          assertTrue(id(part, i - 1) < id(part, i));
        }
      }
    }
    assertEquals(set.size(), seen.size());
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    ImageSet set = unevenSet();
    Split a = Splits.stratified(set, 0.1, 5);
    Split b = Splits.stratified(set, 0.1, 5);
    Split c = Splits.stratified(set, 0.1, 6);
    assertArrayEquals(a.validation().pixels(), b.validation().pixels());
    assertArrayEquals(a.train().pixels(), b.train().pixels());
    assertFalse(java.util.Arrays.equals(a.validation().pixels(), c.validation().pixels()));
  }

  @Test
  void zeroHoldsOutNothing() {
    ImageSet set = unevenSet();
    Split split = Splits.stratified(set, 0.0, 1);
    assertEquals(0, split.validation().size());
    assertArrayEquals(set.pixels(), split.train().pixels());
  }

  @Test
  void rejectsFractionsAndCountsOutOfRange() {
    ImageSet set = unevenSet();
    for (double f : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Splits.stratified(set, f, 1));
      assertEquals("validation fraction must be in [0, 1), found " + f, e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Splits.stratified(set, 0.9999, 1));
    for (int count : new int[] {-1, 940, 1000}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Splits.stratified(set, count, 1));
      assertEquals("validation count must be in [0, 940), found " + count, e.getMessage());
    }
  }
}
