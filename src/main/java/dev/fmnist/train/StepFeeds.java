package dev.fmnist.train;

import dev.fmnist.config.AdamSpec;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The scalar feeds of a training step besides its batch: the learning rate, Adam's bias-correction
 * powers {@code beta1^t} and {@code beta2^t}, and the dropout seed {@code [run seed, step]}. Native
 * tensors overwritten in place each step; closing this closes them all.
 */
final class StepFeeds implements AutoCloseable {
  private TFloat32 learningRate;
  private TFloat32 beta1Power;
  private TFloat32 beta2Power;
  private TInt64 dropoutSeed;

  /** Feeds whose dropout seed starts with {@code seed}; what is made is closed if making the rest fails. */
  StepFeeds(long seed) {
    try {
      learningRate = TFloat32.scalarOf(0f);
      beta1Power = TFloat32.scalarOf(0f);
      beta2Power = TFloat32.scalarOf(0f);
      dropoutSeed = TInt64.vectorOf(seed, 0L);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Sets the values for the step taken after {@code step} steps: rate {@code rate}, Adam's powers for step + 1. */
  void set(double rate, AdamSpec adam, long step) {
    learningRate.setFloat((float) rate);
    beta1Power.setFloat((float) Math.pow(adam.beta1(), step + 1));
    beta2Power.setFloat((float) Math.pow(adam.beta2(), step + 1));
    dropoutSeed.setLong(step, 1);
  }

  /** Feeds the values to {@code g}'s placeholders; returns {@code runner}. */
  Session.Runner feed(Session.Runner runner, TrainingGraph g) {
    return runner.feed(g.learningRate, learningRate)
        .feed(g.beta1Power, beta1Power)
        .feed(g.beta2Power, beta2Power)
        .feed(g.dropoutSeed, dropoutSeed);
  }

  @Override
  public void close() {
    for (Tensor t : new Tensor[] {learningRate, beta1Power, beta2Power, dropoutSeed}) {
      if (t != null) {
        t.close();
      }
    }
  }
}
