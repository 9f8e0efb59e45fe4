package dev.fmnist.config;

/** Adam's hyperparameters; defaults are Keras's. */
public record AdamSpec(Double learningRate, Double beta1, Double beta2, Double epsilon) {
  /** Keras's default learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** Keras's default decay of the first-moment estimate. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** Keras's default decay of the second-moment estimate. */
  public static final double DEFAULT_BETA2 = 0.999;
  /** Keras's default epsilon. */
  public static final double DEFAULT_EPSILON = 1e-7;

  /**
   * Checks the values; a null value takes its default.
   *
   * @param learningRate the step size, a finite number &gt; 0 (null: {@value
   *     #DEFAULT_LEARNING_RATE})
   * @param beta1 decay of the first-moment estimate, in [0, 1) (null: {@value #DEFAULT_BETA1})
   * @param beta2 decay of the second-moment estimate, in [0, 1) (null: {@value #DEFAULT_BETA2})
   * @param epsilon added to the denominator for numerical stability, a finite number &gt; 0 (null:
   *     {@value #DEFAULT_EPSILON})
   * @throws ConfigException naming the key ({@code learning_rate}, {@code beta1}, ...) of a value
   *     out of range
   */
  public AdamSpec {
    learningRate = ConfigException.positive("learning_rate", learningRate, DEFAULT_LEARNING_RATE);
    beta1 = ConfigException.inUnitInterval("beta1", beta1, DEFAULT_BETA1);
    beta2 = ConfigException.inUnitInterval("beta2", beta2, DEFAULT_BETA2);
    epsilon = ConfigException.positive("epsilon", epsilon, DEFAULT_EPSILON);
  }

  static AdamSpec defaults() {
    return new AdamSpec(null, null, null, null);
  }
}
