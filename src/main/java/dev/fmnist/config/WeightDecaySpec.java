package dev.fmnist.config;

/**
 * Weight decay on the kernels of conv and dense layers (not biases or batch-norm parameters).
 *
 * <p>{@code l2}: adds {@code rate * sum(w^2)} to the training loss, as Keras's {@code
 * kernel_regularizer=l2(rate)}. {@code decoupled}: AdamW (Loshchilov and Hutter), as Keras's {@code
 * AdamW(weight_decay=rate)}: each step first shrinks every kernel by {@code learning_rate * rate *
 * w}, then applies the Adam update; the loss is unchanged.
 *
 * @param type none, l2 or decoupled
 * @param rate the decay rate, >= 0
 */
public record WeightDecaySpec(Type type, Double rate) {
  /** The kind of decay. */
  public enum Type {
    /** No weight decay. */
    NONE,
    /** Adds {@code rate * sum(w^2)} to the training loss. */
    L2,
    /**
     * AdamW: each step shrinks every kernel by {@code learning_rate * rate * w} before the Adam
     * update.
     */
    DECOUPLED
  }

  /**
   * Checks the values; without a type, a rate above 0 means {@code l2}.
   *
   * @param type the kind of decay, or null
   * @param rate the decay rate, a finite number &gt;= 0 (null: 0); above 0 unless the type is
   *     {@code none}
   * @throws ConfigException naming {@code rate} when it is out of range or 0 for {@code l2} or
   *     {@code decoupled}
   */
  public WeightDecaySpec {
    type = type == null ? (rate == null || rate == 0 ? Type.NONE : Type.L2) : type;
    rate = ConfigException.nonNegative("rate", rate, 0.0);
    if (type != Type.NONE && rate == 0) {
      throw new ConfigException("rate", "give a rate > 0 for " + type.name().toLowerCase(java.util.Locale.ROOT)
          + " weight decay (e.g. 0.0005)");
    }
  }

  /**
   * Whether any decay is applied.
   *
   * @return true unless the type is {@code none}
   */
  public boolean enabled() {
    return type != Type.NONE;
  }

  static WeightDecaySpec none() {
    return new WeightDecaySpec(Type.NONE, 0.0);
  }
}
