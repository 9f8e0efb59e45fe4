package dev.fmnist.data;

import java.util.SplittableRandom;

/**
 * Deterministic per-epoch batches. The order of epoch {@code e} depends only on {@code (seed, e)},
 * never on earlier epochs, so a resumed run sees the same sequence as an uninterrupted one: a
 * Fisher-Yates shuffle driven by a {@link SplittableRandom} seeded with a mix of the two. The
 * permutation lives in one preallocated array, and {@link #fill} allocates nothing. Not
 * thread-safe: one sequence per training loop.
 */
public final class BatchSequence {
  private final ImageSet set;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final int[] order;
  private final Augmentation augmentation;
  private int epoch;

  /**
   * Starts at epoch 0.
   *
   * @param shuffle false keeps the set's order in every epoch
   * @param set the images to batch
   * @param batchSize images per batch, &gt;= 1
   * @param seed seeds the shuffling of every epoch
   * @throws IllegalArgumentException when {@code batchSize} is less than 1
   */
  public BatchSequence(ImageSet set, int batchSize, boolean shuffle, long seed) {
    this(set, batchSize, shuffle, seed, Augmentation.NONE);
  }

  /**
   * Starts at epoch 0; {@link #fill} augments each image with a seed drawn from (seed, epoch,
   * position), so a resumed run sees the same augmented batches.
   *
   * @param set the images to batch
   * @param batchSize images per batch, &gt;= 1
   * @param shuffle false keeps the set's order in every epoch
   * @param seed seeds the shuffling and the augmentation
   * @param augmentation applied to every image as it is filled in, or {@link Augmentation#NONE}
   * @throws IllegalArgumentException when {@code batchSize} is less than 1
   */
  public BatchSequence(ImageSet set, int batchSize, boolean shuffle, long seed, Augmentation augmentation) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be 1 or more, found " + batchSize);
    }
    this.set = set;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.order = new int[set.size()];
    this.augmentation = augmentation;
    startEpoch(0);
  }

  /**
   * {@code ceil(n / batchSize)}; the last batch may be short.
   *
   * @return the number of batches per epoch
   */
  public int batchesPerEpoch() {
    return (int) ((set.size() + (long) batchSize - 1) / batchSize);
  }

  /**
   * The number of images per batch (the last batch of an epoch may hold fewer).
   *
   * @return the batch size given to the constructor
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The number of images per epoch.
   *
   * @return the size of the image set
   */
  public int size() {
    return order.length;
  }

  /**
   * The epoch whose order {@link #fill} uses.
   *
   * @return the epoch last given to {@link #startEpoch} (0 at first)
   */
  public int epoch() {
    return epoch;
  }

  /**
   * Computes the order of {@code epoch} (the identity when not shuffling) into the preallocated
   * permutation.
   *
   * @param epoch the epoch, 0 or more
   * @throws IllegalArgumentException when {@code epoch} is negative
   */
  public void startEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be 0 or more, found " + epoch);
    }
    this.epoch = epoch;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      shuffle(order, new SplittableRandom(epochSeed(seed, epoch)));
    }
  }

  /**
   * The image index at position {@code position} of the current epoch.
   *
   * @param position 0 to {@link #size()} - 1
   * @return the index into the image set
   */
  public int indexAt(int position) {
    return order[position];
  }

  /**
   * Fills batch {@code batch} of the current epoch: images scaled to [0, 1] into {@code images}
   * ({@code valuesPerImage} floats each, from offset 0), labels into {@code labels}.
   *
   * @param batch the batch number, 0 to {@link #batchesPerEpoch()} - 1
   * @param images receives the images, at least {@code batchSize * valuesPerImage} floats
   * @param labels receives the labels, at least {@code batchSize} entries
   * @return the batch's size: {@code batchSize}, or less for the last batch
   * @throws IllegalArgumentException when {@code batch} is out of range or an array is too small
   */
  public int fill(int batch, float[] images, int[] labels) {
    if (batch < 0 || batch >= batchesPerEpoch()) {
      throw new IllegalArgumentException(
          "batch must be in [0, " + batchesPerEpoch() + "), found " + batch);
    }
    int start = batch * batchSize;
    int n = Math.min(batchSize, order.length - start);
    int values = set.spec().valuesPerImage();
    if (images.length < n * values || labels.length < n) {
      throw new IllegalArgumentException(
          "batch of "
              + n
              + " needs "
              + n * values
              + " image floats and "
              + n
              + " labels, found "
              + images.length
              + " and "
              + labels.length);
    }
    for (int i = 0; i < n; i++) {
      int index = order[start + i];
      if (augmentation.isNone()) {
        set.copyScaled(index, images, i * values);
      } else {
        augmentation.apply(set, index, images, i * values, mix64(epochSeed(seed, epoch) + start + i));
      }
      labels[i] = set.label(index);
    }
    return n;
  }

  /** The PRNG seed of one epoch: {@code mix64(mix64(seed) + epoch)}. */
  static long epochSeed(long seed, int epoch) {
    return mix64(mix64(seed) + epoch);
  }

  /** Fisher-Yates shuffle in place. */
  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer, as SplittableRandom uses. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
