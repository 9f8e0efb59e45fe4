package dev.fmnist.train.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.framework.metrics.Metrics;
import org.tensorflow.framework.metrics.SparseCategoricalAccuracy;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Four examples of three classes: the first two right, the third wrong, the fourth a three-way
 * tie that argmax gives to class 0 while its label is 2 (wrong).
 */
class BatchMetricsTest {
  private static final float[][] LOGITS = {{3, 1, 0}, {0, 2, 1}, {5, 0, 4}, {1, 1, 1}};
  private static final int[] LABELS = {0, 1, 2, 2};

  @Test
  void correctCountTakesTheFirstLargestLogit() {
    try (GraphFixture f = new GraphFixture()) {
      assertEquals(2f, f.scalar(BatchMetrics.correctCount(f.tf, logits(f.tf), labels(f.tf))));
    }
  }

  @Test
  void lossSumAddsTheExampleLosses() {
    try (GraphFixture f = new GraphFixture()) {
      assertEquals(3.5f, f.scalar(BatchMetrics.lossSum(f.tf, f.tf.constant(new float[] {0.25f, 1.25f, 2f}))));
    }
  }

  /**
   * tensorflow-framework's {@code SparseCategoricalAccuracy} gives the same per-example values,
   * but calling it creates its {@code total} and {@code count} variables in the graph (they would
   * land in every checkpoint); {@code Metrics.sparseTopKCategoricalAccuracy} with k = 1 is
   * stateless but uses InTopK, which counts the tie as right. fmnist keeps its own.
   */
  @Test
  void frameworkAccuracyAddsVariablesAndTopKCountsTies() {
    try (GraphFixture f = new GraphFixture()) {
      Ops tf = f.tf;
      long variablesBefore = variables(f);
      Operand<TFloat32> perExample =
          new SparseCategoricalAccuracy<>(1L, TFloat32.class).call(tf, labels(tf), logits(tf), TFloat32.class);
      assertArrayEquals(new float[] {1, 1, 0, 0}, f.floats(perExample));
      assertEquals(variablesBefore + 2, variables(f), "total and count");
      Operand<TFloat32> topOne = Metrics.sparseTopKCategoricalAccuracy(tf, labels(tf), logits(tf), 1);
      assertArrayEquals(new float[] {1, 1, 0, 1}, f.floats(topOne));
    }
  }

  private static long variables(GraphFixture f) {
    long n = 0;
    for (var it = f.graph.operations(); it.hasNext(); ) {
      if (it.next().type().equals("VariableV2")) {
        n++;
      }
    }
    return n;
  }

  private static Operand<TFloat32> logits(Ops tf) {
    return tf.constant(LOGITS);
  }

  private static Operand<TInt32> labels(Ops tf) {
    return tf.constant(LABELS);
  }
}
