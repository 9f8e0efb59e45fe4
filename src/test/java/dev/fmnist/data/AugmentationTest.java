package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  /** One image with a single white pixel at (row 10, column 5). */
  private static ImageSet dot() {
    byte[] p = new byte[FashionMnist.SPEC.valuesPerImage()];
    p[10 * 28 + 5] = (byte) 255;
    return new ImageSet(FashionMnist.SPEC, p, new byte[] {3});
  }

  private static int whereIsTheDot(float[] img) {
    int at = -1;
    for (int i = 0; i < img.length; i++) {
      if (img[i] == 1f) {
        assertEquals(-1, at, "one dot only");
        at = i;
      }
    }
    return at;
  }

  @Test
  void shiftsAndFlipsMoveThePixelWithinBounds() {
    Augmentation a = new Augmentation(3, true, 0);
    boolean sawFlip = false;
    boolean sawShift = false;
    for (long seed = 0; seed < 200; seed++) {
      float[] img = new float[FashionMnist.SPEC.valuesPerImage()];
      a.apply(dot(), 0, img, 0, seed);
      int at = whereIsTheDot(img);
      int r = at / 28;
      int c = at % 28;
      assertTrue(Math.abs(r - 10) <= 3, "row " + r);
      boolean flipped = Math.abs(c - (27 - 5)) <= 3;
      assertTrue(flipped || Math.abs(c - 5) <= 3, "column " + c);
      sawFlip |= flipped;
      sawShift |= r != 10;
    }
    assertTrue(sawFlip && sawShift);
  }

  @Test
  void sameSeedSameImageAndNoneIsACopy() {
    ImageSet set = dot();
    Augmentation a = new Augmentation(2, true, 0.5);
    float[] x = new float[FashionMnist.SPEC.valuesPerImage()];
    float[] y = new float[FashionMnist.SPEC.valuesPerImage()];
    a.apply(set, 0, x, 0, 42);
    a.apply(set, 0, y, 0, 42);
    assertArrayEquals(x, y);
    assertTrue(Augmentation.NONE.isNone());
    assertFalse(a.isNone());
    BatchSequence plain = new BatchSequence(set, 1, false, 1, Augmentation.NONE);
    float[] z = new float[FashionMnist.SPEC.valuesPerImage()];
    plain.fill(0, z, new int[1]);
    assertEquals(10 * 28 + 5, whereIsTheDot(z));
  }

  @Test
  void erasingBlanksARectangle() {
    byte[] p = new byte[FashionMnist.SPEC.valuesPerImage()];
    Arrays.fill(p, (byte) 255);
    ImageSet white = new ImageSet(FashionMnist.SPEC, p, new byte[] {0});
    float[] img = new float[FashionMnist.SPEC.valuesPerImage()];
    new Augmentation(0, false, 1.0).apply(white, 0, img, 0, 7);
    long black = 0;
    for (float v : img) {
      black += v == 0f ? 1 : 0;
    }
    assertTrue(black >= 0.02 * 784 * 0.5 && black <= 0.2 * 784 * 1.5, "erased " + black);
  }

  @Test
  void augmentedBatchesRepeatPerEpochAndDifferAcrossEpochs() {
    ImageSet set = new ImageSet(FashionMnist.SPEC, new byte[3 * FashionMnist.SPEC.valuesPerImage()], new byte[] {0, 1, 2}).subset(new int[] {0, 1, 2});
    byte[] p = set.pixels().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i * 31);
    }
    ImageSet varied = new ImageSet(FashionMnist.SPEC, p, new byte[] {0, 1, 2});
    BatchSequence s = new BatchSequence(varied, 3, true, 9, new Augmentation(2, true, 0));
    float[] a = new float[3 * FashionMnist.SPEC.valuesPerImage()];
    float[] b = new float[3 * FashionMnist.SPEC.valuesPerImage()];
    s.startEpoch(4);
    s.fill(0, a, new int[3]);
    s.startEpoch(5);
    s.fill(0, b, new int[3]);
    assertFalse(Arrays.equals(a, b));
    s.startEpoch(4);
    s.fill(0, b, new int[3]);
    assertArrayEquals(a, b);
  }

  @Test
  void refusesOutOfRangeSettings() {
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(15, false, 0).requireFits(FashionMnist.SPEC));
    new Augmentation(14, false, 0).requireFits(FashionMnist.SPEC);
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, 1.5));
  }
}
