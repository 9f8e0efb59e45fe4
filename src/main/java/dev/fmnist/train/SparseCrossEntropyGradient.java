package dev.fmnist.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.family.TNumber;

/**
 * Registers the gradient that TensorFlow's C++ registry lacks for {@code
 * SparseSoftmaxCrossEntropyWithLogits} (TF Java 1.0 and 1.1 fail with "No gradient defined").
 *
 * <p>d loss_i / d logits_i = backprop_i (the op's second output, softmax minus one-hot), scaled by
 * the incoming gradient of loss_i. Labels are integers: their gradient is zeros (a null there
 * crashes the native side).
 */
public final class SparseCrossEntropyGradient {
  private static boolean registered;

  private SparseCrossEntropyGradient() {}

  /** Registers the gradient once per JVM; later calls do nothing. */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(
        SparseSoftmaxCrossEntropyWithLogits.Inputs.class,
        (tf, op, gradOutputs) -> {
          @SuppressWarnings("unchecked")
          Operand<TNumber> dLoss = (Operand<TNumber>) gradOutputs.get(0);
          Operand<? extends TNumber> backprop =
              ((SparseSoftmaxCrossEntropyWithLogits<?>) op.getOutputs()).backprop();
          @SuppressWarnings("unchecked")
          Operand<TNumber> bp = (Operand<TNumber>) backprop;
          Operand<?> dLogits = tf.math.mul(tf.expandDims(dLoss, tf.constant(-1)), bp);
          return List.of(dLogits, tf.zerosLike(op.labels));
        });
    registered = true;
  }
}
