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
 * @param labelSmoothing Keras's label smoothing: targets {@code y * (1 - e) + e / 10}, in [0, 1)
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
    FLOAT32,
    BF16
  }

  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 128;
  public static final long DEFAULT_SEED = 42;
  public static final double DEFAULT_VALIDATION_SPLIT = 5000;
  public static final int MAX_BATCH_SIZE = 65536;

  public TrainingSpec {
    epochs = ConfigException.atLeast("epochs", epochs, 1, DEFAULT_EPOCHS);
    batchSize = ConfigException.atLeast("batch_size", batchSize, 1, DEFAULT_BATCH_SIZE);
    if (batchSize > MAX_BATCH_SIZE) {
      throw new ConfigException("batch_size", "must be <= " + MAX_BATCH_SIZE + ", found " + batchSize);
    }
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
    labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new ConfigException("label_smoothing", "must be in [0, 1), found " + labelSmoothing);
    }
    weightDecay = weightDecay == null ? WeightDecaySpec.none() : weightDecay;
  }

  static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether {@link #validationSplit} is a count of images rather than a fraction. */
  public boolean validationIsCount() {
    return validationSplit >= 1;
  }

  /** A builder starting from this spec's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder starting from the defaults. */
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

    private Builder(TrainingSpec s) {
      epochs = s.epochs;
      batchSize = s.batchSize;
      seed = s.seed;
      validationSplit = s.validationSplit;
      adam = s.adam;
      schedule = s.schedule;
      earlyStopping = s.earlyStopping;
      checkpointsKept = s.checkpointsKept;
      augmentation = s.augmentation;
      precision = s.precision;
      labelSmoothing = s.labelSmoothing;
      weightDecay = s.weightDecay;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** A fraction in [0, 1) or a whole count of images. */
    public Builder validationSplit(double v) {
      validationSplit = v;
      return this;
    }

    public Builder adam(AdamSpec v) {
      adam = v;
      return this;
    }

    public Builder schedule(ScheduleSpec v) {
      schedule = v;
      return this;
    }

    public Builder earlyStopping(EarlyStoppingSpec v) {
      earlyStopping = v;
      return this;
    }

    public Builder checkpointsKept(int v) {
      checkpointsKept = v;
      return this;
    }

    public Builder augmentation(AugmentationSpec v) {
      augmentation = v;
      return this;
    }

    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    public Builder labelSmoothing(double v) {
      labelSmoothing = v;
      return this;
    }

    public Builder weightDecay(WeightDecaySpec v) {
      weightDecay = v;
      return this;
    }

    /**
     * The spec.
     *
     * @throws ConfigException naming the key of a value that is out of range
     */
    public TrainingSpec build() {
      return new TrainingSpec(epochs, batchSize, seed, validationSplit, adam, schedule, earlyStopping,
          checkpointsKept, augmentation, precision, labelSmoothing, weightDecay);
    }
  }
}
