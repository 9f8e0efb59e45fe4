package dev.fmnist.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded validation splits stratified by class: each class keeps its share in both parts. */
public final class Splits {
  private Splits() {}

  /** Moves {@code fraction} of each class (rounded) to the validation set. */
  public static Split stratified(ImageSet set, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), found " + fraction);
    }
    return stratified(set, (int) Math.round(set.size() * fraction), seed);
  }

  /**
   * Moves {@code count} images to the validation set, shared among classes in proportion to their
   * sizes (largest remainders get the rounding).
   */
  public static Split stratified(ImageSet set, int count, long seed) {
    if (count < 0 || (count >= set.size() && count > 0)) {
      throw new IllegalArgumentException(
          "validation count must be in [0, " + set.size() + "), found " + count);
    }
    int[] perClass = set.classCounts();
    int[] quota = new int[ImageSet.CLASSES];
    double[] remainder = new double[ImageSet.CLASSES];
    int assigned = 0;
    for (int c = 0; c < ImageSet.CLASSES; c++) {
      double exact = (double) count * perClass[c] / set.size();
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      assigned += quota[c];
    }
    while (assigned < count) {
      int best = -1;
      for (int c = 0; c < ImageSet.CLASSES; c++) {
        if (quota[c] < perClass[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
      assigned++;
    }
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < ImageSet.CLASSES; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < set.size(); i++) {
      byClass.get(set.label(i)).add(i);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] toValidation = new boolean[set.size()];
    for (int c = 0; c < ImageSet.CLASSES; c++) {
      int[] idx = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
      BatchSequence.shuffle(idx, rng);
      for (int k = 0; k < quota[c]; k++) {
        toValidation[idx[k]] = true;
      }
    }
    int[] val = new int[count];
    int[] train = new int[set.size() - count];
    int v = 0;
    int t = 0;
    for (int i = 0; i < set.size(); i++) {
      if (toValidation[i]) {
        val[v++] = i;
      } else {
        train[t++] = i;
      }
    }
    return new Split(set.subset(train), set.subset(Arrays.copyOf(val, v)));
  }
}
