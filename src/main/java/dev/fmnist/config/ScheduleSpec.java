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
    /** The optimizer's learning rate throughout. */
    CONSTANT,
    /** Linear warm-up, then cosine decay to {@code min_learning_rate}, updated every step. */
    COSINE,
    /** Multiplied by {@code gamma} every {@code step_epochs} epochs. */
    STEP,
    /** Reduced by {@code factor} when the validation loss stops improving. */
    PLATEAU
  }

  /** Keras's ReduceLROnPlateau defaults. */
  public static final double DEFAULT_FACTOR = 0.1;
  /** Keras's default {@code patience} of {@code ReduceLROnPlateau}. */
  public static final int DEFAULT_PATIENCE = 10;
  /** Keras's default {@code min_delta} of {@code ReduceLROnPlateau}. */
  public static final double DEFAULT_MIN_DELTA = 1e-4;

  /**
   * Checks the values; a null value takes its default. Values the type does not use are checked and
   * kept.
   *
   * @param type the schedule (null: {@code constant})
   * @param warmupEpochs {@code cosine}: epochs of linear warm-up, a finite number &gt;= 0 (null: 0)
   * @param minLearningRate {@code cosine} and {@code plateau}: the lowest learning rate, &gt;= 0
   *     (null: 0)
   * @param stepEpochs {@code step}: epochs between reductions, &gt;= 1 (null: 10)
   * @param gamma {@code step}: the factor applied at each reduction, &gt; 0 (null: 0.1)
   * @param factor {@code plateau}: the factor applied at each reduction, in (0, 1) (null: {@value
   *     #DEFAULT_FACTOR})
   * @param patience {@code plateau}: epochs without improvement before a reduction, &gt;= 1 (null:
   *     {@value #DEFAULT_PATIENCE})
   * @param minDelta {@code plateau}: the least decrease of the validation loss that counts as
   *     improvement, &gt;= 0 (null: {@value #DEFAULT_MIN_DELTA})
   * @param cooldown {@code plateau}: epochs after a reduction during which no epoch is counted,
   *     &gt;= 0 (null: 0)
   * @throws ConfigException naming the key of a value out of range
   */
  public ScheduleSpec {
    type = type == null ? Type.CONSTANT : type;
    warmupEpochs = ConfigException.nonNegative("warmup_epochs", warmupEpochs, 0.0);
    minLearningRate = ConfigException.nonNegative("min_learning_rate", minLearningRate, 0.0);
    stepEpochs = ConfigException.atLeast("step_epochs", stepEpochs, 1, 10);
    gamma = ConfigException.positive("gamma", gamma, 0.1);
    factor = factor == null ? DEFAULT_FACTOR : factor;
    if (!(factor > 0 && factor < 1)) {
      throw new ConfigException("factor", "must be in (0, 1), found " + factor);
    }
    patience = ConfigException.atLeast("patience", patience, 1, DEFAULT_PATIENCE);
    minDelta = ConfigException.nonNegative("min_delta", minDelta, DEFAULT_MIN_DELTA);
    cooldown = ConfigException.atLeast("cooldown", cooldown, 0, 0);
  }

  static ScheduleSpec constant() {
    return new ScheduleSpec(Type.CONSTANT, null, null, null, null, null, null, null, null);
  }
}
