package dev.fmnist.data;

import java.util.SplittableRandom;

/**
 * Deterministic per-epoch batches. The order of epoch e depends only on (seed, e), never on
 * earlier epochs, so a resumed run sees the same sequence as an uninterrupted one. Filling a
 * batch allocates nothing.
 */
public final class BatchSequence {
  /** Mixes the epoch into the seed (the 64-bit golden ratio, as SplittableRandom does). */
  private static final long EPOCH_MIX = 0x9E3779B97F4A7C15L;

  private final ImageSet set;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final int[] order;

  public BatchSequence(ImageSet set, int batchSize, boolean shuffle, long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
    }
    this.set = set;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.order = new int[set.size()];
    startEpoch(0);
  }

  /** ceil(n / batchSize); the last batch may be short. */
  public int batchesPerEpoch() {
    return (set.size() + batchSize - 1) / batchSize;
  }

  /** Computes the order of {@code epoch} (the identity when not shuffling). */
  public void startEpoch(int epoch) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      shuffle(order, new SplittableRandom(seed + EPOCH_MIX * (epoch + 1L)));
    }
  }

  /** The image index at position {@code i} of the current epoch. */
  public int indexAt(int i) {
    return order[i];
  }

  /**
   * Fills batch {@code batch} of the current epoch: images scaled to [0, 1] into {@code images}
   * (784 floats each), labels into {@code labels}. Returns the batch's size.
   */
  public int fill(int batch, float[] images, int[] labels) {
    int start = batch * batchSize;
    int n = Math.min(batchSize, set.size() - start);
    for (int i = 0; i < n; i++) {
      int idx = order[start + i];
      set.copyScaled(idx, images, i * ImageSet.PIXELS);
      labels[i] = set.label(idx);
    }
    return n;
  }

  /** Fisher-Yates shuffle in place. */
  static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
