package dev.fmnist.data;

import java.util.SplittableRandom;

/**
 * Seeded validation splits stratified by class: each class gives the validation set its share of
 * the requested size (largest remainders get the rounding), chosen at random within the class.
 * Both parts keep the original order of the images.
 */
public final class Splits {
  private Splits() {}

  /**
   * Holds out {@code round(fraction * size)} images for validation.
   *
   * @param set the images to split
   * @param fraction the share held out, in [0, 1)
   * @param seed decides which images of each class are held out
   * @return the training and validation images, each class in the same proportion in both
   * @throws IllegalArgumentException when {@code fraction} is not in [0, 1) or leaves no training image
   */
  public static Split stratified(ImageSet set, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), found " + fraction);
    }
    long count = Math.round(set.size() * fraction);
    if (count > 0 && count >= set.size()) {
      throw new IllegalArgumentException(
          "validation fraction "
              + fraction
              + " leaves no training images out of "
              + set.size());
    }
    return stratified(set, (int) count, seed);
  }

  /**
   * Holds out {@code count} images for validation.
   *
   * @param set the images to split
   * @param count the number of images held out
   * @param seed decides which images of each class are held out
   * @return the training and validation images, each class in the same proportion in both
   * @throws IllegalArgumentException when {@code count} is not in [0, size) (0 is always allowed)
   */
  public static Split stratified(ImageSet set, int count, long seed) {
    if (count < 0 || (count > 0 && count >= set.size())) {
      throw new IllegalArgumentException(
          "validation count must be in [0, " + set.size() + "), found " + count);
    }
    int[] quota = quotas(set.classCounts(), count, set.size());
    int[][] byClass = indicesByClass(set);
    boolean[] held = new boolean[set.size()];
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < quota.length; c++) {
      int[] members = byClass[c];
      BatchSequence.shuffle(members, random);
      for (int k = 0; k < quota[c]; k++) {
        held[members[k]] = true;
      }
    }
    int[] validation = new int[count];
    int[] train = new int[set.size() - count];
    int v = 0;
    int t = 0;
    for (int i = 0; i < set.size(); i++) {
      if (held[i]) {
        validation[v++] = i;
      } else {
        train[t++] = i;
      }
    }
    return new Split(set.subset(train), set.subset(validation));
  }

  /** Each class's share of {@code count}, by the largest-remainder method (ties: lower label). */
  static int[] quotas(int[] classCounts, int count, int size) {
    int[] quota = new int[classCounts.length];
    long[] remainder = new long[classCounts.length];
    int assigned = 0;
    for (int c = 0; c < classCounts.length; c++) {
      long exact = (long) count * classCounts[c];
      quota[c] = (int) (exact / size);
      remainder[c] = exact % size;
      assigned += quota[c];
    }
    while (assigned < count) {
      int best = -1;
      for (int c = 0; c < classCounts.length; c++) {
        if (quota[c] < classCounts[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
      assigned++;
    }
    return quota;
  }

  private static int[][] indicesByClass(ImageSet set) {
    int[] counts = set.classCounts();
    int[][] byClass = new int[counts.length][];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    int[] filled = new int[counts.length];
    for (int i = 0; i < set.size(); i++) {
      int c = set.label(i);
      byClass[c][filled[c]++] = i;
    }
    return byClass;
  }
}
