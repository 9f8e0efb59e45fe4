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

  private static final double ERASE_MIN_AREA = 0.02;
  private static final double ERASE_MAX_AREA = 0.2;

  /**
   * Checks the values.
   *
   * @param maxShift largest shift in pixels, &gt;= 0
   * @param horizontalFlip whether to flip half of the images left-right
   * @param erasing probability of erasing a rectangle, in [0, 1]
   * @throws IllegalArgumentException when {@code maxShift} is negative or {@code erasing} outside
   *     [0, 1]
   */
  public Augmentation {
    if (maxShift < 0) {
      throw new IllegalArgumentException("shift must be >= 0, found " + maxShift);
    }
    if (!(erasing >= 0 && erasing <= 1)) {
      throw new IllegalArgumentException("erasing must be in [0, 1], found " + erasing);
    }
  }

  /**
   * Whether this changes nothing.
   *
   * @return true when there is no shift, no flip and no erasing
   */
  public boolean isNone() {
    return maxShift == 0 && !horizontalFlip && erasing == 0;
  }

  /**
   * Checks that this augmentation fits images of {@code spec}: a shift of at most half the shorter
   * side.
   *
   * @param spec the images it will be applied to
   * @throws IllegalArgumentException naming the limit otherwise
   */
  public void requireFits(DatasetSpec spec) {
    int limit = Math.min(spec.height(), spec.width()) / 2;
    if (maxShift > limit) {
      throw new IllegalArgumentException("shift must be <= " + limit + " (half the shorter side of "
          + spec.describeShape() + " images), found " + maxShift);
    }
  }

  /**
   * Writes image {@code index} of {@code set}, augmented, as floats in [0, 1] into {@code dst} at
   * {@code offset}. Allocates nothing but the seeded generator.
   *
   * @param set the images
   * @param index the image to write, 0 to {@code set.size() - 1}
   * @param dst receives {@code set.spec().valuesPerImage()} floats, row-major, channels last
   * @param offset where in {@code dst} the image starts
   * @param seed decides every random choice for this image; the same seed gives the same output
   */
  public void apply(ImageSet set, int index, float[] dst, int offset, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int dx = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
    int dy = maxShift == 0 ? 0 : rng.nextInt(-maxShift, maxShift + 1);
    boolean flip = horizontalFlip && rng.nextBoolean();
    DatasetSpec spec = set.spec();
    int rows = spec.height();
    int cols = spec.width();
    int ch = spec.channels();
    byte[] pixels = set.pixels();
    int base = index * spec.valuesPerImage();
    for (int r = 0; r < rows; r++) {
      int sr = r - dy;
      for (int c = 0; c < cols; c++) {
        int sc = (flip ? cols - 1 - c : c) - dx;
        boolean inside = sr >= 0 && sr < rows && sc >= 0 && sc < cols;
        for (int k = 0; k < ch; k++) {
          dst[offset + (r * cols + c) * ch + k] =
              inside ? (pixels[base + (sr * cols + sc) * ch + k] & 0xff) / 255f : 0f;
        }
      }
    }
    if (erasing > 0 && rng.nextDouble() < erasing) {
      double area = rows * cols * (ERASE_MIN_AREA + rng.nextDouble() * (ERASE_MAX_AREA - ERASE_MIN_AREA));
      double aspect = Math.exp(rng.nextDouble(Math.log(0.3), Math.log(1 / 0.3)));
      int h = Math.min(rows, Math.max(1, (int) Math.round(Math.sqrt(area * aspect))));
      int w = Math.min(cols, Math.max(1, (int) Math.round(Math.sqrt(area / aspect))));
      int top = rng.nextInt(rows - h + 1);
      int left = rng.nextInt(cols - w + 1);
      for (int r = top; r < top + h; r++) {
        java.util.Arrays.fill(dst, offset + (r * cols + left) * ch, offset + (r * cols + left + w) * ch, 0f);
      }
    }
  }
}
