package dev.fmnist.model;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Convolution + bias + ReLU as one {@code _FusedConv2D} op, for training towers on the CPU.
 *
 * <p>Why: TensorFlow's C++ gradient of {@code Relu} (the one TF Java uses) reads the ReLU's input,
 * so the bias-add output has two consumers and Grappler cannot fuse Conv2D + BiasAdd + Relu the way
 * it does for Python (whose gradient reads the ReLU's output). Emitting the fused op directly, with
 * a gradient that reads its output ({@code ReluGrad(dy, y)} is exact: y > 0 exactly where the
 * pre-activation is > 0), removes a separate ReLU pass over every conv output in each step. Exports
 * never contain it: inference graphs use the plain ops.
 */
final class FusedConvRelu {
  static final String OP_TYPE = "_FusedConv2D";
  private static boolean registered;

  private FusedConvRelu() {}

  /** relu(conv2d(x, kernel) + bias). */
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias,
      int stride, String padding) {
    register();
    return tf.scope().opBuilder(OP_TYPE, "FusedConv2D")
        .addInput(x.asOutput())
        .addInput(kernel.asOutput())
        .addInputList(new Output<?>[] {bias.asOutput()})
        .addInputList(new Output<?>[0])
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", padding)
        .setAttr("num_args", 1L)
        .setAttr("fused_ops", new String[] {"BiasAdd", "Relu"})
        .build()
        .<TFloat32>output(0);
  }

  private static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(OP_TYPE, FusedConvRelu::gradient);
    registered = true;
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> gradOutputs) {
    Operand<TFloat32> x = (Operand<TFloat32>) op.input(0);
    Operand<TFloat32> kernel = (Operand<TFloat32>) op.input(1);
    Operand<TFloat32> y = (Operand<TFloat32>) op.<TFloat32>output(0);
    Operand<TFloat32> dy = (Operand<TFloat32>) gradOutputs.get(0);
    List<Long> strides = toList(op.attributes().getAttrIntList("strides"));
    String padding = op.attributes().getAttrString("padding");
    Operand<TFloat32> dz = tf.nn.reluGrad(dy, y);
    Operand<TInt32> xShape = tf.shape(x);
    Operand<TInt32> kShape = tf.shape(kernel);
    Operand<TFloat32> dx = tf.nn.conv2dBackpropInput(xShape, kernel, dz, strides, padding);
    Operand<TFloat32> dk = tf.nn.conv2dBackpropFilter(x, kShape, dz, strides, padding);
    Operand<TFloat32> db = tf.nn.biasAddGrad(dz);
    return List.of(dx, dk, db);
  }

  private static List<Long> toList(long[] a) {
    Long[] boxed = new Long[a.length];
    for (int i = 0; i < a.length; i++) {
      boxed[i] = a[i];
    }
    return List.of(boxed);
  }
}
