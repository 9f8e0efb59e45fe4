package dev.fmnist.train.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code kernel_regularizer=l2(rate)} over a set of kernels: {@code rate * sum(w^2)}, summed
 * over every element of every kernel, to be added to the data loss. Its gradient is {@code 2 * rate
 * * w}.
 *
 * <p>The squares of all kernels are added first and multiplied by the rate once. tensorflow-framework's
 * {@code regularizers.L2} multiplies each kernel's sum by the rate and leaves the adding to the
 * caller: the same value, rounded differently in float32.
 */
public final class L2Regularizer {
  /** Keras's default rate for {@code l2()}. */
  public static final float DEFAULT_RATE = 0.01f;

  private final float rate;

  /** The regularizer with Keras's default rate. */
  public L2Regularizer() {
    this(DEFAULT_RATE);
  }

  /**
   * @param rate the factor on the sum of squares
   * @throws IllegalArgumentException if {@code rate} is negative, infinite or NaN
   */
  public L2Regularizer(float rate) {
    if (!(rate >= 0) || Float.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0, found " + rate);
    }
    this.rate = rate;
  }

  /**
   * The factor on the sum of squares.
   *
   * @return the rate, a finite number &gt;= 0
   */
  public float rate() {
    return rate;
  }

  /**
   * The penalty over {@code kernels}.
   *
   * @param kernels the weights to regularize; reference variables are read through an {@code
   *     Identity} first
   * @param tf the ops of the graph the penalty is added to
   * @return a scalar
   * @throws IllegalArgumentException if {@code kernels} is empty
   */
  public Operand<TFloat32> penalty(Ops tf, List<? extends Operand<TFloat32>> kernels) {
    if (kernels.isEmpty()) {
      throw new IllegalArgumentException("no kernels to regularize");
    }
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> k : kernels) {
      squares.add(tf.sum(tf.math.square(tf.identity(k)), allAxes(tf, k)));
    }
    return tf.math.mul(tf.constant(rate), tf.math.addN(squares));
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    int[] axes = new int[x.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
