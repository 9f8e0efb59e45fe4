package dev.fmnist.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.initializers.Glorot;
import org.tensorflow.framework.initializers.He;
import org.tensorflow.framework.initializers.Ones;
import org.tensorflow.framework.initializers.VarianceScaling.Distribution;
import org.tensorflow.framework.initializers.Zeros;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * fmnist's initializers against tensorflow-framework's, on the same seed. fmnist seeds a
 * variable's stateless stream with (run seed, name.hashCode()); the framework with (seed, 0). The
 * name {@code f5a5a608} has hash code 0, so a variable of that name draws the same stream as the
 * framework given the run seed, and the two differ only in how they scale it.
 */
class InitializerTest {
  private static final long SEED = 42;
  private static final String HASH_ZERO = "f5a5a608";

  /** VariableStore's constants come from the framework; they equal the Fill fmnist built before, bit for bit. */
  @Test
  void constantsAreTheFillFmnistUsedBefore() {
    Shape shape = Shape.of(3, 2);
    for (float value : new float[] {0f, 1f, 0.5f, -3.25f}) {
      float[] store = storeValue(shape, new Initializer.Constant(value), HASH_ZERO);
      float[] fill = eval(tf -> tf.fill(tf.constant(shape.asArray()), tf.constant(value)));
      assertArrayEquals(bits(fill), bits(store), "constant " + value);
    }
    assertArrayEquals(bits(storeValue(shape, Initializer.ZEROS, "z")),
        bits(eval(tf -> new Zeros<TFloat32>().call(tf, tf.constant(shape.asArray()), TFloat32.class))));
    assertArrayEquals(bits(storeValue(shape, Initializer.ONES, "o")),
        bits(eval(tf -> new Ones<TFloat32>().call(tf, tf.constant(shape.asArray()), TFloat32.class))));
  }

  /**
   * On a dense kernel the framework's He is fmnist's divided by 0.87962566 (Keras's correction for
   * the truncation, which fmnist does not apply); on a 3x3x2x4 convolution kernel the framework
   * counts the 2 input channels twice (fan-in 36 instead of 18), another factor sqrt(1/2).
   */
  @Test
  void frameworkHeScalesTheSameStreamDifferentlyAndMiscountsConvolutionFans() {
    Shape dense = Shape.of(4, 3);
    float[] own = storeValue(dense, new Initializer.HeNormal(4), HASH_ZERO);
    float[] framework = eval(tf -> new He<TFloat32>(Distribution.TRUNCATED_NORMAL, SEED)
        .call(tf, tf.constant(dense.asArray()), TFloat32.class));
    assertRatio(1 / 0.87962566103423978, own, framework);

    Shape conv = Shape.of(3, 3, 2, 4);
    float[] ownConv = storeValue(conv, new Initializer.HeNormal(3 * 3 * 2), HASH_ZERO);
    float[] frameworkConv = eval(tf -> new He<TFloat32>(Distribution.TRUNCATED_NORMAL, SEED)
        .call(tf, tf.constant(conv.asArray()), TFloat32.class));
    assertRatio(Math.sqrt(18.0 / 36.0) / 0.87962566103423978, ownConv, frameworkConv);
  }

  /** The framework's uniform draws from [0, limit); fmnist's Glorot from [-limit, limit). */
  @Test
  void frameworkGlorotUniformIsNeverNegative() {
    Shape dense = Shape.of(4, 3);
    double limit = Math.sqrt(6.0 / (4 + 3));
    float[] own = storeValue(dense, new Initializer.GlorotUniform(4, 3), HASH_ZERO);
    float[] framework = eval(tf -> new Glorot<TFloat32>(Distribution.UNIFORM, SEED)
        .call(tf, tf.constant(dense.asArray()), TFloat32.class));
    boolean ownNegative = false;
    for (int i = 0; i < own.length; i++) {
      assertTrue(framework[i] >= 0 && framework[i] < limit, "framework value " + framework[i]);
      assertEquals(2 * framework[i] - limit, own[i], 1e-6, "same stream: own = 2 u limit - limit");
      ownNegative |= own[i] < 0;
    }
    assertTrue(ownNegative, "fmnist's Glorot spans [-limit, limit)");
  }

  /** The framework gives every variable initialized with one seed the same values; fmnist's differ by name. */
  @Test
  void frameworkSeedIsOneStreamForEveryVariable() {
    Shape dense = Shape.of(4, 3);
    float[] first = eval(tf -> new He<TFloat32>(Distribution.TRUNCATED_NORMAL, SEED)
        .call(tf, tf.constant(dense.asArray()), TFloat32.class));
    float[] second = eval(tf -> new He<TFloat32>(Distribution.TRUNCATED_NORMAL, SEED)
        .call(tf, tf.constant(dense.asArray()), TFloat32.class));
    assertArrayEquals(first, second);
    assertFalse(java.util.Arrays.equals(storeValue(dense, new Initializer.HeNormal(4), "l00_dense/kernel"),
        storeValue(dense, new Initializer.HeNormal(4), "l01_dense/kernel")));
  }

  private static void assertRatio(double ratio, float[] own, float[] framework) {
    assertEquals(own.length, framework.length);
    for (int i = 0; i < own.length; i++) {
      assertEquals(own[i] * ratio, framework[i], 1e-6 * Math.max(1, Math.abs(framework[i])), "element " + i);
    }
  }

  /** The initial value VariableStore gives a variable of this name (seeded with {@link #SEED}). */
  private static float[] storeValue(Shape shape, Initializer initializer, String name) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> v = new VariableStore(tf, VariableStore.Policy.INITIALIZE, SEED).variable(name, shape, initializer, true);
      try (Session s = new Session(g)) {
        s.initialize();
        return fetch(s, v);
      }
    }
  }

  private static float[] eval(Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph()) {
      Operand<TFloat32> x = build.apply(Ops.create(g));
      try (Session s = new Session(g)) {
        return fetch(s, x);
      }
    }
  }

  private static float[] fetch(Session s, Operand<TFloat32> x) {
    try (Result r = s.runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  private static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }
}
