package dev.fmnist.train.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fmnist.train.SparseCrossEntropyGradient;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The loss on two examples of three classes, logits [2, 1, 0] (label 0) and [0, 0, 0] (label 2).
 * By hand: log-partition 2 + log(1 + e^-1 + e^-2) = 2.40760596 and log 3, so the cross-entropies
 * are 0.40760596 and 1.09861229, and the mean of -log softmax is 1.40760596 and 1.09861229.
 */
class SparseCrossEntropyTest {
  private static final float[] LOGITS = {2, 1, 0, 0, 0, 0};
  private static final int[] LABELS = {0, 2};

  @Test
  void withoutSmoothingItIsTheCrossEntropyAndItsMean() {
    try (GraphFixture f = new GraphFixture()) {
      SparseCrossEntropy loss = new SparseCrossEntropy();
      assertEquals(0.0, loss.labelSmoothing());
      assertArrayEquals(new float[] {0.40760596f, 1.09861229f}, f.floats(loss.perExample(f.tf, logits(f.tf), labels(f.tf))), 1e-6f);
      assertEquals(0.75310912f, f.scalar(loss.mean(f.tf, logits(f.tf), labels(f.tf))), 1e-6f);
    }
  }

  @Test
  void smoothingMixesInTheUniformTarget() {
    // e = 0.1: 0.9 * 0.40760596 + 0.1 * 1.40760596 = 0.50760596; the uniform logits lose nothing
    try (GraphFixture f = new GraphFixture()) {
      SparseCrossEntropy loss = new SparseCrossEntropy(0.1);
      assertArrayEquals(new float[] {0.50760596f, 1.09861229f}, f.floats(loss.perExample(f.tf, logits(f.tf), labels(f.tf))), 1e-6f);
      assertEquals(0.80310913f, f.scalar(loss.mean(f.tf, logits(f.tf), labels(f.tf))), 1e-6f);
    }
  }

  @Test
  void gradientOfTheMeanIsSoftmaxMinusSmoothedTargetsOverTheBatch() {
    // softmax [0.66524096, 0.24472847, 0.09003057] and [1/3, 1/3, 1/3]; targets with e = 0.1:
    // [0.93333333, 0.03333333, 0.03333333] and [0.03333333, 0.03333333, 0.93333333]; halved
    SparseCrossEntropyGradient.register();
    try (GraphFixture f = new GraphFixture()) {
      Variable<TFloat32> z = f.variable("z", Shape.of(2, 3), LOGITS);
      Operand<TFloat32> mean = new SparseCrossEntropy(0.1).mean(f.tf, f.tf.identity(z), labels(f.tf));
      Output<?>[] grad = f.graph.addGradients(mean.asOutput(), new Output<?>[] {z.asOutput()});
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grad[0];
      assertArrayEquals(new float[] {-0.13404619f, 0.10569757f, 0.02834862f, 0.15f, 0.15f, -0.3f}, f.floats(g), 1e-6f);
    }
  }

  @Test
  void smoothingOutsideTheUnitIntervalIsRefused() {
    for (double e : new double[] {-0.1, 1.0, Double.NaN}) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new SparseCrossEntropy(e));
      assertEquals("labelSmoothing must be in [0, 1), found " + e, x.getMessage());
    }
  }

  /** The framework's per-example term is the raw op fmnist used before: the same bits. */
  @Test
  void frameworkCrossEntropyTermIsTheRawOpBitForBit() {
    try (GraphFixture f = new GraphFixture()) {
      float[] framework = f.floats(new SparseCrossEntropy().perExample(f.tf, logits(f.tf), labels(f.tf)));
      float[] raw = f.floats(f.tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits(f.tf), labels(f.tf)).loss());
      assertArrayEquals(GraphFixture.bits(raw), GraphFixture.bits(framework));
    }
  }

  /**
   * The framework's {@code SparseCategoricalCrossentropy} loss object (sum over batch size) gives
   * fmnist's mean bit for bit, but it has no label smoothing. Its {@code CategoricalCrossentropy}
   * on one-hot labels smooths the targets before one cross-entropy: the same value, rounded
   * differently (here 0.6715114 against fmnist's 0.6715115), so training would not stay
   * bit-identical. fmnist keeps its own smoothing and reduction.
   */
  @Test
  void frameworkLossObjectsEqualWithoutSmoothingAndRoundDifferentlyWithIt() {
    try (GraphFixture f = new GraphFixture()) {
      Ops tf = f.tf;
      float plain = f.scalar(new SparseCategoricalCrossentropy(true).call(tf, labels(tf), logits(tf), null));
      assertEquals(Float.floatToRawIntBits(f.scalar(new SparseCrossEntropy().mean(tf, logits(tf), labels(tf)))),
          Float.floatToRawIntBits(plain));

      Operand<TFloat32> z = tf.constant(new float[][] {{4.684743f, -1.8245478f, -3.2736835f, -1.8736204f, -3.3548496f,
          -4.9749656f, -5.646493f, 0.17776649f, -1.225234f, 0.8631285f}});
      Operand<TInt32> y = tf.constant(new int[] {0});
      float own = f.scalar(new SparseCrossEntropy(0.1).mean(tf, z, y));
      Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
      float framework = f.scalar(new CategoricalCrossentropy(true, 0.1f).call(tf, oneHot, z, null));
      assertEquals(0.6715115f, own);
      assertEquals(0.6715114f, framework);
    }
  }

  /** Without smoothing the framework's loss object matches in value and gradient, bit for bit, on seeded random batches. */
  @Test
  void frameworkSparseLossObjectGivesTheSameValueAndGradientOnRandomBatches() {
    SparseCrossEntropyGradient.register();
    for (int n : new int[] {59, 64, 1000}) {
      java.util.Random rnd = new java.util.Random(n);
      float[] z = new float[n * 10];
      int[] y = new int[n];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) (rnd.nextGaussian() * 3);
      }
      for (int i = 0; i < n; i++) {
        y[i] = rnd.nextInt(10);
      }
      try (GraphFixture f = new GraphFixture()) {
        Variable<TFloat32> logits = f.variable("z", Shape.of(n, 10), z);
        Operand<TFloat32> read = f.tf.identity(logits);
        Operand<TInt32> labels = f.tf.constant(y);
        Operand<TFloat32> own = new SparseCrossEntropy().mean(f.tf, read, labels);
        Operand<TFloat32> framework = new SparseCategoricalCrossentropy(true).call(f.tf, labels, read, null);
        assertEquals(Float.floatToRawIntBits(f.scalar(own)), Float.floatToRawIntBits(f.scalar(framework)), "n = " + n);
        assertArrayEquals(GraphFixture.bits(f.floats(gradient(f, own, logits))),
            GraphFixture.bits(f.floats(gradient(f, framework, logits))), "gradient, n = " + n);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> gradient(GraphFixture f, Operand<TFloat32> loss, Variable<TFloat32> x) {
    return (Operand<TFloat32>) f.graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()})[0];
  }

  private static Operand<TFloat32> logits(Ops tf) {
    return tf.constant(new float[][] {{2, 1, 0}, {0, 0, 0}});
  }

  private static Operand<TInt32> labels(Ops tf) {
    return tf.constant(LABELS);
  }
}
