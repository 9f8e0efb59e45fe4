package dev.fmnist.train.graph;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Losses;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Softmax cross-entropy of logits against integer class labels, with Keras's label smoothing.
 *
 * <p>With smoothing {@code e} over {@code K} classes the targets are {@code y (1 - e) + e / K}, so
 * an example's loss is {@code (1 - e) * CE(y) + e * mean_k(-log softmax_k)}: what Keras's {@code
 * CategoricalCrossentropy(from_logits=True, label_smoothing=e)} gives on one-hot labels. With
 * {@code e = 0} it is Keras's {@code SparseCategoricalCrossentropy(from_logits=True)}.
 *
 * <p>The cross-entropy term is tensorflow-framework's {@link Losses#sparseCategoricalCrossentropy}:
 * the {@code SparseSoftmaxCrossEntropyWithLogits} op, which has no gradient in TensorFlow's
 * registry; differentiating this loss needs {@link
 * dev.fmnist.train.SparseCrossEntropyGradient#register()} first.
 */
public final class SparseCrossEntropy {
  /** No smoothing: plain sparse cross-entropy. */
  public static final double DEFAULT_LABEL_SMOOTHING = 0.0;

  private final double labelSmoothing;

  /** The loss without label smoothing. */
  public SparseCrossEntropy() {
    this(DEFAULT_LABEL_SMOOTHING);
  }

  /**
   * @param labelSmoothing Keras's {@code label_smoothing}, the weight {@code e} of the uniform target
   * @throws IllegalArgumentException if {@code labelSmoothing} is not in [0, 1)
   */
  public SparseCrossEntropy(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1), found " + labelSmoothing);
    }
    this.labelSmoothing = labelSmoothing;
  }

  /**
   * The weight of the uniform target.
   *
   * @return the smoothing {@code e}, in [0, 1): targets are {@code (1 - e) * onehot + e / K}
   */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  /**
   * The loss of each example.
   *
   * @param logits [n, K] unnormalized class scores
   * @param labels [n] class indices in [0, K)
   * @param tf the ops of the graph the loss is added to
   * @return [n] losses
   */
  public Operand<TFloat32> perExample(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TFloat32> ce = Losses.sparseCategoricalCrossentropy(tf, labels, logits, true, -1);
    if (labelSmoothing == 0) {
      return ce;
    }
    Operand<TFloat32> uniform = tf.math.neg(tf.math.mean(tf.nn.logSoftmax(logits), tf.constant(1)));
    return tf.math.add(tf.math.mul(tf.constant((float) (1 - labelSmoothing)), ce),
        tf.math.mul(tf.constant((float) labelSmoothing), uniform));
  }

  /**
   * The mean loss of the batch (Keras's {@code sum_over_batch_size} reduction).
   *
   * @param logits [n, K] unnormalized class scores
   * @param labels [n] class indices in [0, K)
   * @param tf the ops of the graph the loss is added to
   * @return a scalar
   */
  public Operand<TFloat32> mean(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    return tf.math.mean(perExample(tf, logits, labels), tf.constant(0));
  }
}
