package dev.fmnist.train.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class AdamWTest {
  @Test
  void oneStepShrinksTheDecayedVariablesThenAppliesAdamWithTheGradientsFromBefore() {
    // loss = 0.5 sum(w^2) + sum(bias), so g_w = w = [1, -2] and g_bias = [1]. lr 0.1, rate 0.5:
    // w first shrinks by lr * rate * w to [0.95, -1.9]; Adam's first step is lr * sign(g) / (1 + eps /
    // (sqrt(1 - b2) |g|)) = 0.09693466 for |g| = 1 and 0.09844347 for |g| = 2 (eps 1e-3), so w becomes
    // [0.85306534, -1.80155653]; the bias is not decayed: 0.5 - 0.09693466 = 0.40306534.
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> w = f.variable("w", Shape.of(2), 1, -2);
      Variable<TFloat32> bias = f.variable("bias", Shape.of(1), 0.5f);
      Operand<TFloat32> read = f.tf.identity(w);
      Operand<TFloat32> loss = f.tf.math.add(
          f.tf.math.mul(f.tf.constant(0.5f), f.tf.sum(f.tf.math.mul(read, read), f.tf.constant(0))),
          f.tf.sum(f.tf.identity(bias), f.tf.constant(0)));
      Output<?>[] g = f.graph.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput(), bias.asOutput()});
      AdamTest.Fed fed = new AdamTest.Fed(f);
      AdamW adamW = new AdamW(new Adam(0.9f, 0.999f, 1e-3f), 0.5f);
      var updates = adamW.applyGradients(f.tf, fed.feeds, f.vars, List.of(w, bias),
          List.of(AdamTest.cast(g[0]), AdamTest.cast(g[1])), Set.of(w));
      fed.run(f.tf.withControlDependencies(updates).noOp(), 0.1f, 0.9f, 0.999f);
      assertArrayEquals(new float[] {0.85306534f, -1.80155653f}, f.floats(w), 1e-6f);
      assertArrayEquals(new float[] {0.40306534f}, f.floats(bias), 1e-6f);
    }
  }

  @Test
  void defaultsAreKerasAndABadRateIsRefused() {
    assertEquals(0.004f, new AdamW().weightDecay());
    assertEquals(1e-7f, new AdamW().adam().epsilon());
    for (float bad : new float[] {-0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
      assertEquals("weightDecay must be a finite number >= 0, found " + bad,
          assertThrows(IllegalArgumentException.class, () -> new AdamW(new Adam(), bad)).getMessage());
    }
  }
}
