package dev.fmnist.train.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam steps against values computed by hand with ApplyAdam's formulas: m += (g - m)(1 - b1), v +=
 * (g^2 - v)(1 - b2), w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps). From zero moments
 * the first step is lr * sign(g) / (1 + eps / (sqrt(1 - b2) |g|)).
 */
class AdamTest {
  private static final Adam ADAM = new Adam(0.9f, 0.999f, 1e-3f);

  @Test
  void twoStepsWithTheFedLearningRateAndBetaPowers() {
    // loss = 0.5 w0 - w1, so g = [0.5, -1]. Step 1 (lr 0.1, b1^1, b2^1): 1 - 0.1 / 1.06324555 =
    // 0.90594835 and -2 + 0.1 / 1.03162278 = -1.90306534. Step 2 (lr 0.05, b1^2 = 0.81, b2^2 =
    // 0.998001): m = 0.19 g, v = 0.001999 g^2, so w -= 0.05 sqrt(0.001999) g / (sqrt(0.001999) |g| + eps)
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> w = f.variable("w", Shape.of(2), 1, -2);
      Operand<TFloat32> loss = f.tf.sum(f.tf.math.mul(f.tf.identity(w), f.tf.constant(new float[] {0.5f, -1})), f.tf.constant(0));
      Fed fed = new Fed(f);
      Op step = f.tf.withControlDependencies(ADAM.applyGradients(f.tf, fed.feeds, f.vars, List.of(w), gradients(f, loss, w))).noOp();
      fed.run(step, 0.1f, 0.9f, 0.999f);
      assertArrayEquals(new float[] {0.90594835f, -1.90306534f}, f.floats(w), 1e-6f);
      fed.run(step, 0.05f, 0.81f, 0.998001f);
      assertArrayEquals(new float[] {0.85808921f, -1.85415919f}, f.floats(w), 1e-6f);
      // the sub-scope "w" is taken by the variable itself, so TensorFlow Java names the slot w_1/adam_m
      assertArrayEquals(new float[] {0.095f, -0.19f}, f.floats(cast(f.graph.operation("w_1" + Adam.FIRST_MOMENT).output(0))), 1e-7f);
    }
  }

  @Test
  void everyUpdateWaitsForEveryGradient() {
    // loss = a * b: each gradient reads the other weight, so an early update would change it.
    // g_a = b = -2, g_b = a = 3: a = 3 + 0.1 / (1 + 1e-3 / (sqrt(0.001) * 2)) = 3.09844347,
    // b = -2 - 0.1 / (1 + 1e-3 / (sqrt(0.001) * 3)) = -2.09895690
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> a = f.variable("a", Shape.of(1), 3);
      Variable<TFloat32> b = f.variable("b", Shape.of(1), -2);
      Operand<TFloat32> loss = f.tf.sum(f.tf.math.mul(a, b), f.tf.constant(0));
      Output<?>[] raw = f.graph.addGradients(loss.asOutput(), new Output<?>[] {a.asOutput(), b.asOutput()});
      Fed fed = new Fed(f);
      List<Op> updates = ADAM.applyGradients(f.tf, fed.feeds, f.vars, List.of(a, b), List.of(cast(raw[0]), cast(raw[1])));
      assertEquals(2, updates.size());
      for (Op update : updates) {
        GraphOperation op = (GraphOperation) update.op();
        assertEquals("ApplyAdam", op.type());
        Set<String> waitsFor = op.controlInputs().stream().map(GraphOperation::name).collect(Collectors.toSet());
        for (Output<?> g : raw) {
          assertTrue(op.controlInputs().stream().anyMatch(c -> c.type().equals("Identity") && c.input(0).equals(g)),
              op.name() + " does not wait for " + g.op().name() + ": " + waitsFor);
        }
      }
      fed.run(f.tf.withControlDependencies(updates).noOp(), 0.1f, 0.9f, 0.999f);
      assertEquals(3.09844347f, f.floats(a)[0], 1e-6f);
      assertEquals(-2.09895690f, f.floats(b)[0], 1e-6f);
    }
  }

  @Test
  void defaultsAreKerasAndBadHyperparametersAreRefused() {
    Adam d = new Adam();
    assertEquals(0.9f, d.beta1());
    assertEquals(0.999f, d.beta2());
    assertEquals(1e-7f, d.epsilon());
    assertEquals("beta1 must be in [0, 1), found 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Adam(1f, 0.999f, 1e-7f)).getMessage());
    assertEquals("beta2 must be in [0, 1), found -0.5",
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9f, -0.5f, 1e-7f)).getMessage());
    assertEquals("epsilon must be a finite number > 0, found 0.0",
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9f, 0.999f, 0f)).getMessage());
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> w = f.variable("w", Shape.of(1), 1);
      Fed fed = new Fed(f);
      assertEquals("1 variables but 0 gradients", assertThrows(IllegalArgumentException.class,
          () -> d.applyGradients(f.tf, fed.feeds, f.vars, List.of(w), List.of())).getMessage());
    }
  }

  /**
   * tensorflow-framework's Adam, which fmnist does not use: its learning rate is a constant of the
   * graph (no schedule), its beta powers are variables whose updates ({@code Assign}) do not wait
   * for the {@code ApplyAdam} ops that read them, and its slots are named {@code <variable>-m},
   * which would change every checkpoint's keys. (With that race, one run of this graph took its
   * first step with beta1^2: w[0] became 0.94818765 instead of 0.90155655.)
   */
  @Test
  void frameworkAdamHasAConstantLearningRateUnorderedBetaPowersAndOtherSlotNames() {
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> w = f.variable("w", Shape.of(3), 1, -2, 0.25f);
      Operand<TFloat32> loss = quadratic(f, w);
      org.tensorflow.framework.optimizers.Adam framework =
          new org.tensorflow.framework.optimizers.Adam(f.graph, 0.1f, 0.9f, 0.999f, 1e-3f);
      framework.applyGradients(List.of(new Optimizer.GradAndVar<>(gradients(f, loss, w).get(0).asOutput(), w.asOutput())), "adam");
      GraphOperation apply = onlyOp(f, "ApplyAdam");
      GraphOperation learningRate = (GraphOperation) apply.input(5).op();
      assertEquals("Cast", learningRate.type());
      assertEquals("Const", learningRate.input(0).op().type(), "the learning rate is a graph constant");
      int powerUpdates = 0;
      for (var it = f.graph.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().equals("Assign") && op.input(0).op().name().matches("beta[12]_power")
            && op.input(1).op().type().equals("Mul")) {
          powerUpdates++;
          assertFalse(op.controlInputs().contains(apply), op.name() + " waits for ApplyAdam");
        }
      }
      assertEquals(2, powerUpdates);
      assertEquals("w-m", framework.getSlot(w.asOutput(), "m").orElseThrow().op().name());
    }
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> w = f.variable("w", Shape.of(3), 1, -2, 0.25f);
      Fed fed = new Fed(f);
      ADAM.applyGradients(f.tf, fed.feeds, f.vars, List.of(w), gradients(f, quadratic(f, w), w));
      assertEquals("Placeholder", onlyOp(f, "ApplyAdam").input(5).op().type(), "fmnist feeds it");
    }
  }

  private static GraphOperation onlyOp(GraphFixture f, String type) {
    List<GraphOperation> found = new java.util.ArrayList<>();
    f.graph.operations().forEachRemaining(op -> {
      if (op.type().equals(type)) {
        found.add(op);
      }
    });
    assertEquals(1, found.size(), type + " ops");
    return found.get(0);
  }

  /** loss = sum(w^2 * [1, 2, 3]), so g = [2, 8, 1.5] at w = [1, -2, 0.25]. */
  private static Operand<TFloat32> quadratic(GraphFixture f, Variable<TFloat32> w) {
    Operand<TFloat32> read = f.tf.identity(w);
    return f.tf.sum(f.tf.math.mul(f.tf.math.mul(read, read), f.tf.constant(new float[] {1, 2, 3})), f.tf.constant(0));
  }

  static List<Operand<TFloat32>> gradients(GraphFixture f, Operand<TFloat32> loss, Variable<TFloat32> w) {
    return List.of(cast(f.graph.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput()})[0]));
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> cast(Output<?> o) {
    return (Operand<TFloat32>) o;
  }

  /** The three fed scalars, and a step run with given values. */
  static final class Fed {
    final Adam.Feeds feeds;
    private final GraphFixture f;

    Fed(GraphFixture f) {
      this.f = f;
      feeds = new Adam.Feeds(scalar(f, "learning_rate"), scalar(f, "beta1_power"), scalar(f, "beta2_power"));
    }

    void run(Op step, float learningRate, float beta1Power, float beta2Power) {
      Session s = f.session();
      try (TFloat32 lr = TFloat32.scalarOf(learningRate); TFloat32 b1 = TFloat32.scalarOf(beta1Power);
          TFloat32 b2 = TFloat32.scalarOf(beta2Power)) {
        s.runner().feed(feeds.learningRate(), lr).feed(feeds.beta1Power(), b1).feed(feeds.beta2Power(), b2)
            .addTarget(step).run().close();
      }
    }

    private static Placeholder<TFloat32> scalar(GraphFixture f, String name) {
      return f.tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }
  }
}
