package dev.fmnist.config;

/** Adam's hyperparameters; defaults are Keras's. */
public record AdamSpec(Double learningRate, Double beta1, Double beta2, Double epsilon) {
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

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
