package dev.fmnist.config;

/**
 * Training-time augmentation: random shifts of up to {@code shift} pixels, horizontal flips, and
 * random erasing with probability {@code erasing}. Seeded; training batches only.
 */
public record AugmentationSpec(Integer shift, Boolean flip, Double erasing) {
  public AugmentationSpec {
    shift = ConfigException.atLeast("shift", shift, 0, 0);
    if (shift > 14) {
      throw new ConfigException("shift", "must be <= 14, found " + shift);
    }
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
