package dev.fmnist.model;

/**
 * How a weight starts. Random initializers are stateless and seeded by the run's seed and the
 * variable's name, so a variable's start does not depend on the order the graph is built in.
 */
public sealed interface Initializer {
  /** He (Kaiming) normal, truncated at two standard deviations: std = sqrt(2 / fanIn). For ReLU layers. */
  record HeNormal(long fanIn) implements Initializer {}

  /** Glorot (Xavier) uniform: limit = sqrt(6 / (fanIn + fanOut)). For layers without ReLU. */
  record GlorotUniform(long fanIn, long fanOut) implements Initializer {}

  /** A constant, e.g. 0 for biases and shifts, 1 for batch-norm scales and variances. */
  record Constant(float value) implements Initializer {}

  Initializer ZEROS = new Constant(0f);
  Initializer ONES = new Constant(1f);
}
