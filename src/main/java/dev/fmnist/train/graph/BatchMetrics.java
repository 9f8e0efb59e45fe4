package dev.fmnist.train.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Per-batch sums that the training loop adds up over a set and divides by its size: stateless
 * graph ops, no metric variables in the graph (they would land in every checkpoint).
 */
public final class BatchMetrics {
  private BatchMetrics() {}

  /**
   * How many examples are classified correctly: the first largest logit (argmax, as Keras's {@code
   * sparse_categorical_accuracy}; a tie counts for the lowest class only) is at the label.
   *
   * @param logits [n, K] unnormalized class scores
   * @param labels [n] class indices
   * @param tf the ops of the graph the count is added to
   * @return a float scalar, so that batch counts add without conversions
   */
  public static Operand<TFloat32> correctCount(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0));
  }

  /**
   * The summed loss of a batch.
   *
   * @param exampleLosses [n] the loss of each example (e.g. {@link SparseCrossEntropy#perExample})
   * @param tf the ops of the graph the sum is added to
   * @return a scalar
   */
  public static Operand<TFloat32> lossSum(Ops tf, Operand<TFloat32> exampleLosses) {
    return tf.sum(exampleLosses, tf.constant(0));
  }
}
