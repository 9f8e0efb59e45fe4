package dev.fmnist.model;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

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
  static final String BF16_OP_TYPE = "_MklNativeFusedConv2D";
  private static boolean registered;

  private FusedConvRelu() {}

  /**
   * relu(conv2d(x, kernel) + bias). With {@code bf16} it is computed in bfloat16: the kernel and bias
   * are cast (their gradients come back as float32 through the casts' gradients), {@code x} too unless
   * it is a bfloat16 tensor already, and the result is the bfloat16 tensor itself, behind the
   * float32-typed operand the model builder passes on ({@code ModelBuilder#float32} casts it back
   * where a layer needs float32).
   */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias,
      int stride, String padding, boolean bf16) {
    register();
    if (bf16) {
      Operand<?> in = x;
      Operand<TBfloat16> xb = in.type() == TBfloat16.class ? (Operand<TBfloat16>) in : tf.dtypes.cast(x, TBfloat16.class);
      Operand<?> y = fused(tf, xb, tf.dtypes.cast(kernel, TBfloat16.class), tf.dtypes.cast(bias, TBfloat16.class),
          stride, padding);
      return (Operand<TFloat32>) y;
    }
    return fused(tf, x, kernel, bias, stride, padding);
  }

  private static <T extends TNumber> Operand<T> fused(Ops tf, Operand<T> x, Operand<T> kernel, Operand<T> bias,
      int stride, String padding) {
    boolean bf = x.type() == TBfloat16.class;
    org.tensorflow.OperationBuilder b = tf.scope().opBuilder(bf ? BF16_OP_TYPE : OP_TYPE, "FusedConv2D");
    if (bf) {
      b.setAttr("_kernel", "MklNameChangeOp");
    }
    return b
        .addInput(x.asOutput())
        .addInput(kernel.asOutput())
        .addInputList(new Output<?>[] {bias.asOutput()})
        .addInputList(new Output<?>[0])
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", padding)
        .setAttr("num_args", 1L)
        .setAttr("fused_ops", new String[] {"BiasAdd", "Relu"})
        .build()
        .<T>output(0);
  }

  private static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(OP_TYPE, FusedConvRelu::gradient);
    TensorFlow.registerCustomGradient(BF16_OP_TYPE, FusedConvRelu::gradient);
    registered = true;
  }

  /** The gradient, in the op's own type (float32 or bfloat16). */
  @SuppressWarnings("unchecked")
  private static <T extends TNumber> List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> gradOutputs) {
    Operand<T> x = (Operand<T>) op.input(0);
    Operand<T> kernel = (Operand<T>) op.input(1);
    Operand<T> y = (Operand<T>) op.<T>output(0);
    Operand<T> dy = (Operand<T>) gradOutputs.get(0);
    List<Long> strides = toList(op.attributes().getAttrIntList("strides"));
    String padding = op.attributes().getAttrString("padding");
    Operand<T> dz = tf.nn.reluGrad(dy, y);
    Operand<TInt32> xShape = tf.shape(x);
    Operand<TInt32> kShape = tf.shape(kernel);
    Operand<T> dx = tf.nn.conv2dBackpropInput(xShape, kernel, dz, strides, padding);
    Operand<T> dk = tf.nn.conv2dBackpropFilter(x, kShape, dz, strides, padding);
    Operand<T> db = tf.nn.biasAddGrad(dz);
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
