package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchSequenceTest {
  private static final ImageSet SET = IdxFixtures.tinySet(10, 3); // 100 images, pixel 0 = index

  private static int[] order(BatchSequence batches) {
    int[] order = new int[batches.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = batches.indexAt(i);
    }
    return order;
  }

  @Test
  void everyIndexComesOnceAndTheLastBatchIsShort() {
    BatchSequence batches = new BatchSequence(SET, 32, true, 11);
    assertEquals(4, batches.batchesPerEpoch());
    float[] images = new float[32 * FashionMnist.SPEC.valuesPerImage()];
    int[] labels = new int[32];
    boolean[] seen = new boolean[SET.size()];
    int total = 0;
    for (int b = 0; b < batches.batchesPerEpoch(); b++) {
      int n = batches.fill(b, images, labels);
      assertEquals(b < 3 ? 32 : 4, n);
      for (int i = 0; i < n; i++) {
        int index = Math.round(images[i * FashionMnist.SPEC.valuesPerImage()] * 255f);
        assertFalse(seen[index], "index " + index + " twice");
        seen[index] = true;
        assertEquals(SET.label(index), labels[i]);
      }
      total += n;
    }
    assertEquals(SET.size(), total);
  }

  @Test
  void anEpochsOrderDependsOnlyOnSeedAndEpoch() {
    BatchSequence straight = new BatchSequence(SET, 10, true, 99);
    straight.startEpoch(0);
    straight.startEpoch(1);
    straight.startEpoch(2);
    int[] epoch2 = order(straight);
    BatchSequence resumed = new BatchSequence(SET, 10, true, 99);
    resumed.startEpoch(2);
    assertArrayEquals(epoch2, order(resumed));
    assertEquals(2, resumed.epoch());

    resumed.startEpoch(1);
    assertFalse(Arrays.equals(epoch2, order(resumed)), "epochs 1 and 2 have the same order");
    BatchSequence otherSeed = new BatchSequence(SET, 10, true, 100);
    otherSeed.startEpoch(2);
    assertFalse(Arrays.equals(epoch2, order(otherSeed)), "seeds 99 and 100 give the same order");
    int[] sorted = epoch2.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void withoutShufflingTheOrderIsTheSets() {
    BatchSequence batches = new BatchSequence(SET, 7, false, 1);
    batches.startEpoch(5);
    for (int i = 0; i < SET.size(); i++) {
      assertEquals(i, batches.indexAt(i));
    }
  }

  @Test
  void fillsPixelsScaledToZeroOne() {
    BatchSequence batches = new BatchSequence(SET, 3, false, 1);
    float[] images = new float[3 * FashionMnist.SPEC.valuesPerImage()];
    int[] labels = new int[3];
    batches.fill(1, images, labels);
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < FashionMnist.SPEC.valuesPerImage(); k++) {
        assertEquals(SET.pixel(3 + i, k) / 255f, images[i * FashionMnist.SPEC.valuesPerImage() + k]);
      }
    }
    assertArrayEquals(new int[] {3, 4, 5}, labels);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new BatchSequence(SET, 0, true, 1));
    BatchSequence batches = new BatchSequence(SET, 32, true, 1);
    assertThrows(IllegalArgumentException.class, () -> batches.startEpoch(-1));
    assertThrows(IllegalArgumentException.class, () -> batches.fill(4, new float[32 * 784], new int[32]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> batches.fill(0, new float[784], new int[32]));
    assertEquals("batch of 32 needs 25088 image floats and 32 labels, found 784 and 32", e.getMessage());
  }
}
