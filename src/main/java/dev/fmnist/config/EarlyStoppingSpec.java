package dev.fmnist.config;

/**
 * Stop when the validation loss has not improved by more than {@code min_delta} for {@code
 * patience} epochs, and restore the best weights. Patience 0 turns it off.
 */
public record EarlyStoppingSpec(Integer patience, Double minDelta) {
  /**
   * Checks the values; a null value takes its default (off).
   *
   * @param patience epochs without improvement before training stops, &gt;= 0; 0 turns early
   *     stopping off (null: 0)
   * @param minDelta the least decrease of the validation loss that counts as improvement, a finite
   *     number &gt;= 0 (null: 0)
   * @throws ConfigException naming {@code patience} or {@code min_delta} when it is out of range
   */
  public EarlyStoppingSpec {
    patience = ConfigException.atLeast("patience", patience, 0, 0);
    minDelta = ConfigException.nonNegative("min_delta", minDelta, 0.0);
  }

  /**
   * Whether early stopping is on.
   *
   * @return true when {@link #patience} is above 0
   */
  public boolean enabled() {
    return patience > 0;
  }

  static EarlyStoppingSpec off() {
    return new EarlyStoppingSpec(0, 0.0);
  }
}
