package dev.fmnist.model;

/**
 * How a weight starts. Random initializers are stateless and seeded by the run's seed and the
 * variable's name, so a variable's start does not depend on the order the graph is built in.
 *
 * <p>{@link VariableStore} builds constants with tensorflow-framework's {@code
 * initializers.Constant}. The random ones are fmnist's own: the framework's {@code He} and {@code
 * Glorot} draw from a seed pair {@code (seed, 0)} (one stream for every variable given the same
 * seed), count a convolution kernel's input channels twice in its fans, and draw their uniform
 * variant from {@code [0, limit)}; see docs/design-graph.md.
 */
public sealed interface Initializer {
  /**
   * He (Kaiming) normal for ReLU layers: a normal with std = sqrt(2 / fanIn), truncated at two
   * standard deviations (so the values' std is about 0.88 of that; Keras's {@code HeNormal} divides
   * by 0.8796 to make up for the truncation, fmnist does not).
   */
  record HeNormal(long fanIn) implements Initializer {}

  /** Glorot (Xavier) uniform: limit = sqrt(6 / (fanIn + fanOut)). For layers without ReLU. */
  record GlorotUniform(long fanIn, long fanOut) implements Initializer {}

  /** A constant, e.g. 0 for biases and shifts, 1 for batch-norm scales and variances. */
  record Constant(float value) implements Initializer {}

  /** Zeros: biases, batch-norm shifts and moving means. */
  Initializer ZEROS = new Constant(0f);
  /** Ones: batch-norm scales and moving variances. */
  Initializer ONES = new Constant(1f);
}
