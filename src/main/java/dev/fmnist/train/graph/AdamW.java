package dev.fmnist.train.graph;

import dev.fmnist.model.VariableStore;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam with decoupled weight decay (AdamW, Loshchilov and Hutter) as Keras's {@code
 * AdamW(weight_decay=rate)} applies it: each step first shrinks every decayed variable, {@code w -=
 * learning_rate * rate * w}, then applies the {@link Adam} update with the gradients computed
 * before the shrink. The loss is unchanged.
 */
public final class AdamW {
  /** Keras's default {@code weight_decay} for {@code AdamW}. */
  public static final float DEFAULT_WEIGHT_DECAY = 0.004f;

  private final Adam adam;
  private final float weightDecay;

  /** AdamW with Keras's defaults. */
  public AdamW() {
    this(new Adam(), DEFAULT_WEIGHT_DECAY);
  }

  /**
   * @param adam the Adam update applied after the shrink
   * @param weightDecay the rate: each step shrinks a decayed variable by {@code learning_rate *
   *     weightDecay * w}
   * @throws IllegalArgumentException if {@code weightDecay} is negative, infinite or NaN
   */
  public AdamW(Adam adam, float weightDecay) {
    if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be a finite number >= 0, found " + weightDecay);
    }
    this.adam = java.util.Objects.requireNonNull(adam, "adam");
    this.weightDecay = weightDecay;
  }

  /**
   * The Adam update applied after the shrink.
   *
   * @return the Adam optimizer
   */
  public Adam adam() {
    return adam;
  }

  /**
   * The decay rate per step, multiplied by the learning rate.
   *
   * @return the rate, a finite number &gt;= 0
   */
  public float weightDecay() {
    return weightDecay;
  }

  /**
   * The update ops of one step, one per variable.
   *
   * @param feeds the fed learning rate and beta powers
   * @param slots where Adam's moment estimates are created
   * @param variables the variables to update
   * @param gradients the gradient of the loss with respect to each variable, in the same order
   * @param decayed the variables that are shrunk (fmnist: the kernels, not biases or batch-norm
   *     parameters); every other variable gets the plain Adam update
   * @param tf the ops of the training graph the updates are added to
   * @return one update per variable, in the order of {@code variables}; for a decayed one, its Adam
   *     update after the shrink
   * @throws IllegalArgumentException if the lists differ in length
   */
  public List<Op> applyGradients(Ops tf, Adam.Feeds feeds, VariableStore slots, List<Variable<TFloat32>> variables,
      List<? extends Operand<TFloat32>> gradients, Set<Variable<TFloat32>> decayed) {
    Operand<TFloat32> decayStep = tf.math.mul(feeds.learningRate(), tf.constant(weightDecay));
    return adam.applyGradients(tf, feeds, slots, variables, gradients, (afterGradients, v) -> decayed.contains(v)
        ? afterGradients.train.applyGradientDescent(v, decayStep, afterGradients.identity(v))
        : null);
  }
}
