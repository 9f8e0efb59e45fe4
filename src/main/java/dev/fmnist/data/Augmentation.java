package dev.fmnist.data;

import java.util.SplittableRandom;

/**
 * Seeded augmentation of training images, applied while a batch is filled: a random shift of up to
 * {@code maxShift} pixels in each direction (the image moves over a black background, as with
 * padding and cropping), a horizontal flip with probability one half, and random erasing (a
 * rectangle of 2-20% of the image set to black) with probability {@code erasing}. Every choice
 * comes from the seed given per image, so a batch is the same whenever it is rebuilt.
 *
 * @param maxShift largest shift in pixels, 0 for none
 * @param horizontalFlip whether to flip half of the images left-right
 * @param erasing probability of erasing a rectangle, in [0, 1]
 */
public record Augmentation(int maxShift, boolean horizontalFlip, double erasing) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, false, 0);

  private static final int MAX_SHIFT = ImageSet.ROWS / 2;
  private static final double ERASE_MIN_AREA = 0.02;
  private static final double ERASE_MAX_AREA = 0.2;

  public Augmentation {
    if (maxShift < 0 || maxShift > MAX_SHIFT) {
      throw new IllegalArgumentException("shift must be in [0, " + MAX_SHIFT + "], found " + maxShift);
    }
    if (!(erasing >= 0 && erasing <= 1)) {
      throw new IllegalArgumentException("erasing must be in [0, 1], found " + erasing);
    }
  }

  /** Whether this changes nothing. */
  public boolean isNone() {
    return maxShift == 0 && !horizontalFlip && erasing == 0;
  }

  /**
   * Writes image {@code index} of {@code set}, augmented, as floats in [0, 1] into {@code dst} at
   * {@code offset}. Allocates nothing but the seeded generator.
   */
  public void apply(ImageSet set, int index, float[] dst, int offset, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int dx = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
    int dy = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
    boolean flip = horizontalFlip && rng.nextBoolean();
    byte[] pixels = set.pixels();
    int base = index * ImageSet.PIXELS;
    for (int r = 0; r < ImageSet.ROWS; r++) {
      int sr = r - dy;
      for (int c = 0; c < ImageSet.COLS; c++) {
        int sc = (flip ? ImageSet.COLS - 1 - c : c) - dx;
        float v = 0f;
        if (sr >= 0 && sr < ImageSet.ROWS && sc >= 0 && sc < ImageSet.COLS) {
          v = (pixels[base + sr * ImageSet.COLS + sc] & 0xff) / 255f;
        }
        dst[offset + r * ImageSet.COLS + c] = v;
      }
    }
    if (erasing > 0 && rng.nextDouble() < erasing) {
      double area = ImageSet.PIXELS * (ERASE_MIN_AREA + rng.nextDouble() * (ERASE_MAX_AREA - ERASE_MIN_AREA));
      double aspect = Math.exp(rng.nextDouble(Math.log(0.3), Math.log(1 / 0.3)));
      int h = Math.min(ImageSet.ROWS, Math.max(1, (int) Math.round(Math.sqrt(area * aspect))));
      int w = Math.min(ImageSet.COLS, Math.max(1, (int) Math.round(Math.sqrt(area / aspect))));
      int top = rng.nextInt(ImageSet.ROWS - h + 1);
      int left = rng.nextInt(ImageSet.COLS - w + 1);
      for (int r = top; r < top + h; r++) {
        java.util.Arrays.fill(dst, offset + r * ImageSet.COLS + left, offset + r * ImageSet.COLS + left + w, 0f);
      }
    }
  }
}
