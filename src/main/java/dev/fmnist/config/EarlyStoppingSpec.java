package dev.fmnist.config;

/**
 * Stop when the validation loss has not improved by more than {@code min_delta} for {@code
 * patience} epochs, and restore the best weights. Patience 0 turns it off.
 */
public record EarlyStoppingSpec(Integer patience, Double minDelta) {
  public EarlyStoppingSpec {
    patience = ConfigException.atLeast("patience", patience, 0, 0);
    minDelta = minDelta == null ? 0.0 : minDelta;
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new ConfigException("min_delta", "must be >= 0, found " + minDelta);
    }
  }

  /** Whether early stopping is on. */
  public boolean enabled() {
    return patience > 0;
  }

  static EarlyStoppingSpec off() {
    return new EarlyStoppingSpec(0, 0.0);
  }
}
