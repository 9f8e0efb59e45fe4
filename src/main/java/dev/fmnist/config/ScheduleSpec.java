package dev.fmnist.config;

/**
 * Learning-rate schedule over epochs. {@code constant}: the optimizer's rate throughout. {@code
 * cosine}: linear warm-up over {@code warmup_epochs}, then cosine decay to {@code
 * min_learning_rate} at the last epoch, updated every step. {@code step}: multiplied by {@code
 * gamma} every {@code step_epochs} epochs.
 */
public record ScheduleSpec(
    Type type, Double warmupEpochs, Double minLearningRate, Integer stepEpochs, Double gamma) {
  /** Schedule kinds. */
  public enum Type {
    CONSTANT,
    COSINE,
    STEP
  }

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
  }

  static ScheduleSpec constant() {
    return new ScheduleSpec(Type.CONSTANT, null, null, null, null);
  }
}
