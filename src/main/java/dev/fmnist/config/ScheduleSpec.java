package dev.fmnist.config;

/**
 * Learning-rate schedule over epochs. {@code constant}: the optimizer's rate throughout. {@code
 * cosine}: linear warm-up over {@code warmup_epochs}, then cosine decay to {@code
 * min_learning_rate} at the last epoch, updated every step. {@code step}: multiplied by {@code
 * gamma} every {@code step_epochs} epochs. {@code plateau}: Keras's {@code ReduceLROnPlateau} on the
 * validation loss: multiplied by {@code factor} (not below {@code min_learning_rate}) when the loss
 * has not improved by more than {@code min_delta} for {@code patience} epochs, then {@code cooldown}
 * epochs without counting.
 */
public record ScheduleSpec(
    Type type, Double warmupEpochs, Double minLearningRate, Integer stepEpochs, Double gamma,
    Double factor, Integer patience, Double minDelta, Integer cooldown) {
  /** Schedule kinds. */
  public enum Type {
    CONSTANT,
    COSINE,
    STEP,
    PLATEAU
  }

  /** Keras's ReduceLROnPlateau defaults. */
  public static final double DEFAULT_FACTOR = 0.1;
  public static final int DEFAULT_PATIENCE = 10;
  public static final double DEFAULT_MIN_DELTA = 1e-4;

  public ScheduleSpec {
    type = type == null ? Type.CONSTANT : type;
    warmupEpochs = warmupEpochs == null ? 0.0 : warmupEpochs;
    if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
      throw new ConfigException("warmup_epochs", "must be >= 0, found " + warmupEpochs);
    }
    minLearningRate = minLearningRate == null ? 0.0 : minLearningRate;
    if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
      throw new ConfigException("min_learning_rate", "must be >= 0, found " + minLearningRate);
    }
    stepEpochs = ConfigException.atLeast("step_epochs", stepEpochs, 1, 10);
    gamma = ConfigException.positive("gamma", gamma, 0.1);
    factor = factor == null ? DEFAULT_FACTOR : factor;
    if (!(factor > 0 && factor < 1)) {
      throw new ConfigException("factor", "must be in (0, 1), found " + factor);
    }
    patience = ConfigException.atLeast("patience", patience, 1, DEFAULT_PATIENCE);
    minDelta = minDelta == null ? DEFAULT_MIN_DELTA : minDelta;
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new ConfigException("min_delta", "must be >= 0, found " + minDelta);
    }
    cooldown = ConfigException.atLeast("cooldown", cooldown, 0, 0);
  }

  static ScheduleSpec constant() {
    return new ScheduleSpec(Type.CONSTANT, null, null, null, null, null, null, null, null);
  }
}
