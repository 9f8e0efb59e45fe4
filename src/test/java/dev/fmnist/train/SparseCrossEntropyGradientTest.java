package dev.fmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** The registered gradient of SparseSoftmaxCrossEntropyWithLogits against finite differences. */
class SparseCrossEntropyGradientTest {
  @Test
  void matchesCentralDifferences() {
    SparseCrossEntropyGradient.register();
    double[][] logits = {{1.0, -2.0, 0.5, 3.0}, {0.1, 0.2, 0.3, -0.4}, {-1.0, 2.5, 0.0, 1.0}};
    int[] labels = {3, 0, 1};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(3, 4)));
      // Weight each example differently so the incoming gradient is not uniform.
      Operand<TFloat64> perExample = tf.nn.sparseSoftmaxCrossEntropyWithLogits(x, tf.constant(labels)).loss();
      Operand<TFloat64> loss = tf.sum(tf.math.mul(perExample, tf.constant(new double[] {1.0, 2.0, 0.5})), tf.constant(0));
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
      try (Session s = new Session(g)) {
        double[][] analytic = new double[3][4];
        try (TFloat64 in = TFloat64.tensorOf(Shape.of(3, 4), d -> copy(logits, d));
            Result r = s.runner().feed(x, in).fetch(grad[0]).run()) {
          TFloat64 t = (TFloat64) r.get(0);
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
              analytic[i][j] = t.getDouble(i, j);
            }
          }
        }
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 4; j++) {
            double[][] plus = clone(logits);
            double[][] minus = clone(logits);
            plus[i][j] += h;
            minus[i][j] -= h;
            double numeric = (eval(s, x, loss, plus) - eval(s, x, loss, minus)) / (2 * h);
            assertEquals(numeric, analytic[i][j], 1e-6, "d loss / d logits[" + i + "][" + j + "]");
          }
        }
      }
    }
  }

  private static double eval(Session s, Placeholder<TFloat64> x, Operand<TFloat64> loss, double[][] v) {
    try (TFloat64 in = TFloat64.tensorOf(Shape.of(3, 4), d -> copy(v, d));
        Result r = s.runner().feed(x, in).fetch(loss).run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  private static void copy(double[][] src, TFloat64 dst) {
    for (int i = 0; i < src.length; i++) {
      for (int j = 0; j < src[i].length; j++) {
        dst.setDouble(src[i][j], i, j);
      }
    }
  }

  private static double[][] clone(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
