package dev.fmnist.train.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.regularizers.L2;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class L2RegularizerTest {
  @Test
  void penaltyIsRateTimesTheSumOfSquaresAndItsGradientTwiceRateTimesW() {
    try (GraphFixture f = new GraphFixture()) {
      // squares 1 + 4 + 9 + 1 = 15 and 0.25 + 0.25 + 4 = 4.5; 0.01 * 19.5 = 0.195
      Variable<TFloat32> a = f.variable("a", Shape.of(2, 2), 1, 2, 3, -1);
      Variable<TFloat32> b = f.variable("b", Shape.of(3), 0.5f, -0.5f, 2);
      Operand<TFloat32> penalty = new L2Regularizer(0.01f).penalty(f.tf, List.of(a, b));
      assertEquals(0.195f, f.scalar(penalty), 1e-7f);
      Output<?>[] grads = f.graph.addGradients(penalty.asOutput(), new Output<?>[] {a.asOutput(), b.asOutput()});
      assertArrayEquals(new float[] {0.02f, 0.04f, 0.06f, -0.02f}, f.floats(cast(grads[0])), 1e-7f);
      assertArrayEquals(new float[] {0.01f, -0.01f, 0.04f}, f.floats(cast(grads[1])), 1e-7f);
    }
  }

  @Test
  void defaultsAndChecks() {
    assertEquals(0.01f, new L2Regularizer().rate());
    assertEquals(0f, new L2Regularizer(0f).rate());
    for (float bad : new float[] {-1e-4f, Float.NaN, Float.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new L2Regularizer(bad));
      assertEquals("rate must be a finite number >= 0, found " + bad, e.getMessage());
    }
    try (GraphFixture f = new GraphFixture()) {
      assertEquals("no kernels to regularize",
          assertThrows(IllegalArgumentException.class, () -> new L2Regularizer().penalty(f.tf, List.of())).getMessage());
    }
  }

  /**
   * tensorflow-framework's {@code L2} on each kernel, added up: the same value on one kernel, but
   * on two it multiplies before adding, which rounds differently: with rate 0.0005 and sums of
   * squares 0.25 and 1.25, fmnist gives 0.0005f * 1.5f = 7.5e-4 and the framework 7.5000006e-4.
   * Training would not stay bit-identical, so fmnist keeps its own.
   */
  @Test
  void frameworkL2AgreesOnOneKernelAndRoundsDifferentlyOnTwo() {
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> a = f.variable("a", Shape.of(1, 1), 0.5f);
      Variable<TFloat32> b = f.variable("b", Shape.of(2), 1f, 0.5f);
      float rate = 0.0005f;
      L2 framework = new L2(rate);
      L2Regularizer own = new L2Regularizer(rate);
      assertEquals(Float.floatToRawIntBits(f.scalar(own.penalty(f.tf, List.of(b)))),
          Float.floatToRawIntBits(f.scalar(framework.call(f.tf, f.tf.identity(b)))));
      float ownTwo = f.scalar(own.penalty(f.tf, List.of(a, b)));
      float frameworkTwo = f.scalar(f.tf.math.add(framework.call(f.tf, f.tf.identity(a)), framework.call(f.tf, f.tf.identity(b))));
      assertEquals(rate * (0.25f + 1.25f), ownTwo);
      assertEquals(ownTwo, frameworkTwo, 1e-10f);
      assertNotEquals(Float.floatToRawIntBits(ownTwo), Float.floatToRawIntBits(frameworkTwo));
    }
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> cast(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
