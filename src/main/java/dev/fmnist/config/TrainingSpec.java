package dev.fmnist.config;

/**
 * How to train a model.
 *
 * @param epochs maximum number of passes over the training split
 * @param batchSize examples per step
 * @param seed seeds initializers, the validation split, shuffling and dropout
 * @param validationSplit a fraction of the 60,000 training images in [0, 1), or a count >= 1
 * @param adam optimizer settings (Adam is the optimizer)
 * @param schedule learning-rate schedule
 * @param earlyStopping early stopping on validation loss
 * @param checkpointsKept how many of the latest checkpoints to keep (the best one is kept too)
 * @param augmentation seeded augmentation of training batches
 * @param precision arithmetic of the training session ({@code float32}, or {@code bf16}: TensorFlow's
 *     oneDNN bfloat16 auto-mixed precision on CPUs that have it; weights and exports stay float32)
 * @param labelSmoothing Keras's label smoothing: targets {@code y * (1 - e) + e / K} for K classes, in [0, 1)
 * @param weightDecay L2 or decoupled (AdamW) decay of the kernels
 */
public record TrainingSpec(
    Integer epochs,
    Integer batchSize,
    Long seed,
    Double validationSplit,
    AdamSpec adam,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    Integer checkpointsKept,
    AugmentationSpec augmentation,
    Precision precision,
    Double labelSmoothing,
    WeightDecaySpec weightDecay) {
  /** Arithmetic precision of training. */
  public enum Precision {
    /** 32-bit floating point throughout. */
    FLOAT32,
    /** bfloat16 auto-mixed precision (oneDNN, CPUs that support it); weights stay float32. */
    BF16
  }

  /** Training epochs when the recipe gives no {@code epochs}. */
  public static final int DEFAULT_EPOCHS = 10;
  /** Examples per step when the recipe gives no {@code batch_size}. */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** The seed when the recipe gives no {@code seed}. */
  public static final long DEFAULT_SEED = 42;
  /** The default validation split: 5,000 images (a count, not a fraction). */
  public static final double DEFAULT_VALIDATION_SPLIT = 5000;
  /** The largest {@code batch_size} accepted. */
  public static final int MAX_BATCH_SIZE = 65536;

  /**
   * Checks the values; a null value takes its default.
   *
   * @param epochs maximum passes over the training split, &gt;= 1 (null: {@value #DEFAULT_EPOCHS})
   * @param batchSize examples per step, 1 to {@value #MAX_BATCH_SIZE} (null: {@value
   *     #DEFAULT_BATCH_SIZE})
   * @param seed the seed (null: {@value #DEFAULT_SEED})
   * @param validationSplit a fraction in [0, 1) or a whole count of images (null: {@value
   *     #DEFAULT_VALIDATION_SPLIT} images)
   * @param adam optimizer settings (null: Keras's defaults)
   * @param schedule learning-rate schedule (null: constant)
   * @param earlyStopping early stopping (null: off)
   * @param checkpointsKept latest checkpoints kept, &gt;= 1 (null: 3)
   * @param augmentation augmentation of training batches (null: none)
   * @param precision arithmetic of the training session (null: {@code float32})
   * @param labelSmoothing in [0, 1) (null: 0)
   * @param weightDecay decay of the kernels (null: none)
   * @throws ConfigException naming the key of a value out of range
   */
  public TrainingSpec {
    epochs = ConfigException.atLeast("epochs", epochs, 1, DEFAULT_EPOCHS);
    batchSize = ConfigException.inRange("batch_size", batchSize, 1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE);
    seed = seed == null ? DEFAULT_SEED : seed;
    validationSplit = validationSplit == null ? DEFAULT_VALIDATION_SPLIT : validationSplit;
    double v = validationSplit;
    if (!(v >= 0) || Double.isInfinite(v) || (v >= 1 && v != Math.rint(v))) {
      throw new ConfigException(
          "validation_split", "must be a fraction in [0, 1) or a whole count, found " + v);
    }
    adam = adam == null ? AdamSpec.defaults() : adam;
    schedule = schedule == null ? ScheduleSpec.constant() : schedule;
    earlyStopping = earlyStopping == null ? EarlyStoppingSpec.off() : earlyStopping;
    checkpointsKept = ConfigException.atLeast("checkpoints_kept", checkpointsKept, 1, 3);
    augmentation = augmentation == null ? AugmentationSpec.none() : augmentation;
    precision = precision == null ? Precision.FLOAT32 : precision;
    labelSmoothing = ConfigException.inUnitInterval("label_smoothing", labelSmoothing, 0.0);
    weightDecay = weightDecay == null ? WeightDecaySpec.none() : weightDecay;
  }

  static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Whether {@link #validationSplit} is a count of images rather than a fraction.
   *
   * @return true when {@link #validationSplit} is 1 or more
   */
  public boolean validationIsCount() {
    return validationSplit >= 1;
  }

  /**
   * A builder starting from this spec's values.
   *
   * @return a builder holding this spec's values
   */
  public Builder toBuilder() {
    return new Builder().epochs(epochs).batchSize(batchSize).seed(seed).validationSplit(validationSplit)
        .adam(adam).schedule(schedule).earlyStopping(earlyStopping).checkpointsKept(checkpointsKept)
        .augmentation(augmentation).precision(precision).labelSmoothing(labelSmoothing).weightDecay(weightDecay);
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a builder holding the default values
   */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /**
   * Changes some values of a {@link TrainingSpec}; {@link #build} checks them all, as the
   * constructor does. Unset values keep the starting spec's.
   */
  public static final class Builder {
    private Integer epochs;
    private Integer batchSize;
    private Long seed;
    private Double validationSplit;
    private AdamSpec adam;
    private ScheduleSpec schedule;
    private EarlyStoppingSpec earlyStopping;
    private Integer checkpointsKept;
    private AugmentationSpec augmentation;
    private Precision precision;
    private Double labelSmoothing;
    private WeightDecaySpec weightDecay;

    private Builder() {}

    /**
     * Sets the maximum number of epochs.
     *
     * @param v 1 or more, checked by {@link #build}
     * @return this builder
     */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /**
     * Sets the examples per step.
     *
     * @param v 1 to {@value #MAX_BATCH_SIZE}, checked by {@link #build}
     * @return this builder
     */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /**
     * Sets the seed of initializers, the validation split, shuffling and dropout.
     *
     * @param v any value
     * @return this builder
     */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /**
     * A fraction in [0, 1) or a whole count of images.
     *
     * @param v the validation split
     * @return this builder
     */
    public Builder validationSplit(double v) {
      validationSplit = v;
      return this;
    }

    /**
     * Sets the optimizer settings.
     *
     * @param v Adam's hyperparameters, or null for the defaults
     * @return this builder
     */
    public Builder adam(AdamSpec v) {
      adam = v;
      return this;
    }

    /**
     * Sets the learning-rate schedule.
     *
     * @param v the schedule, or null for constant
     * @return this builder
     */
    public Builder schedule(ScheduleSpec v) {
      schedule = v;
      return this;
    }

    /**
     * Sets early stopping.
     *
     * @param v the early-stopping settings, or null for off
     * @return this builder
     */
    public Builder earlyStopping(EarlyStoppingSpec v) {
      earlyStopping = v;
      return this;
    }

    /**
     * Sets how many of the latest checkpoints are kept.
     *
     * @param v 1 or more, checked by {@link #build}
     * @return this builder
     */
    public Builder checkpointsKept(int v) {
      checkpointsKept = v;
      return this;
    }

    /**
     * Sets the augmentation of training batches.
     *
     * @param v the augmentation, or null for none
     * @return this builder
     */
    public Builder augmentation(AugmentationSpec v) {
      augmentation = v;
      return this;
    }

    /**
     * Sets the arithmetic of the training session.
     *
     * @param v the precision, or null for {@code float32}
     * @return this builder
     */
    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    /**
     * Sets label smoothing.
     *
     * @param v in [0, 1), checked by {@link #build}
     * @return this builder
     */
    public Builder labelSmoothing(double v) {
      labelSmoothing = v;
      return this;
    }

    /**
     * Sets the decay of the kernels.
     *
     * @param v the weight decay, or null for none
     * @return this builder
     */
    public Builder weightDecay(WeightDecaySpec v) {
      weightDecay = v;
      return this;
    }

    /**
     * The spec.
     *
     * @return a new spec with the builder's values
     * @throws ConfigException naming the key of a value that is out of range
     */
    public TrainingSpec build() {
      return new TrainingSpec(epochs, batchSize, seed, validationSplit, adam, schedule, earlyStopping,
          checkpointsKept, augmentation, precision, labelSmoothing, weightDecay);
    }
  }
}
