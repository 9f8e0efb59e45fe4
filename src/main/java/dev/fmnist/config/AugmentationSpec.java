package dev.fmnist.config;

/**
 * Training-time augmentation: random shifts of up to {@code shift} pixels, horizontal flips, and
 * random erasing with probability {@code erasing}. Seeded; training batches only.
 */
public record AugmentationSpec(Integer shift, Boolean flip, Double erasing) {
  /**
   * Checks the values; a null value takes its default (no augmentation).
   *
   * @param shift the largest random shift in pixels along each axis, 0 to 14 (null: 0, no shift)
   * @param flip whether images are mirrored left-right at random, with probability 1/2 (null:
   *     false)
   * @param erasing the probability that a random rectangle of an image is erased, in [0, 1] (null:
   *     0)
   * @throws ConfigException naming {@code shift} or {@code erasing} when it is out of range
   */
  public AugmentationSpec {
    shift = ConfigException.inRange("shift", shift, 0, 14, 0);
    flip = flip != null && flip;
    erasing = erasing == null ? 0.0 : erasing;
    if (!(erasing >= 0 && erasing <= 1)) {
      throw new ConfigException("erasing", "must be in [0, 1], found " + erasing);
    }
  }

  static AugmentationSpec none() {
    return new AugmentationSpec(0, false, 0.0);
  }
}
