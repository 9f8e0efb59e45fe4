package dev.fmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Layer;
import dev.fmnist.config.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Each building block's output shape, and the builder's refusals. */
class ModelBuilderTest {
  private static final Layer LOGITS = new Layer.Dense(10, Layer.Activation.NONE);

  /** Shape.equals treats unknown dimensions as unequal: compare the dimensions. */
  private static void assertShape(Shape expected, Shape actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected.asArray(), actual.asArray(), actual.toString());
  }

  private static List<Layer> withHead(List<Layer> body) {
    List<Layer> l = new ArrayList<>(body);
    l.add(new Layer.Flatten());
    l.add(LOGITS);
    return l;
  }

  private static Shape build(List<Layer> layers, boolean training) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      VariableStore vars = new VariableStore(tf, VariableStore.Policy.INITIALIZE, 1);
      BuiltModel m = training
          ? ModelBuilder.training(tf, new ModelSpec(layers), 10, vars, images, tf.constant(new long[] {1, 2}))
          : ModelBuilder.inference(tf, new ModelSpec(layers), 10, vars, images);
      return m.lastFeatureMap() == null ? m.logits().shape() : m.lastFeatureMap().shape();
    }
  }

  @Test
  void convolutionAndPoolingShapes() {
    assertShape(Shape.of(-1, 26, 26, 8), build(withHead(List.of(new Layer.Conv(8, 3, 1, Layer.Padding.VALID, null, false))), false));
    assertShape(Shape.of(-1, 28, 28, 8), build(withHead(List.of(new Layer.Conv(8, 5, 1, Layer.Padding.SAME, null, true))), true));
    assertShape(Shape.of(-1, 14, 14, 8), build(withHead(List.of(new Layer.Conv(8, 3, 2, Layer.Padding.SAME, null, false))), false));
    assertShape(Shape.of(-1, 13, 13, 4), build(withHead(List.of(
        new Layer.Conv(4, 3, 1, Layer.Padding.VALID, null, false), new Layer.MaxPool(2, null, null),
        new Layer.Conv(4, 1, 1, null, null, false))), false));
  }

  @Test
  void residualBlocksKeepOrProjectTheShape() {
    assertShape(Shape.of(-1, 28, 28, 1), build(withHead(List.of(new Layer.Residual(1, 1))), true));
    assertShape(Shape.of(-1, 14, 14, 16), build(withHead(List.of(new Layer.Residual(16, 2))), true));
    assertShape(Shape.of(-1, 7, 7, 32), build(withHead(List.of(new Layer.Residual(16, 2), new Layer.Residual(32, 2))), false));
  }

  @Test
  void denseDropoutBatchNormAndGlobalPoolingShapes() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      VariableStore vars = new VariableStore(tf, VariableStore.Policy.INITIALIZE, 1);
      BuiltModel m = ModelBuilder.training(tf, new ModelSpec(List.of(
          new Layer.Conv(6, 3, 1, Layer.Padding.SAME, null, false), new Layer.GlobalAvgPool(),
          new Layer.Dense(12, null), new Layer.BatchNorm(null, null), new Layer.Dropout(0.5), LOGITS)), 10,
          vars, images, tf.constant(new long[] {1, 2}));
      assertShape(Shape.of(-1, 10), m.logits().shape());
      assertEquals(2, m.updates().size(), "moving mean and variance of the one batch-norm layer");
      assertNotNull(vars.all().get("l03_batchnorm/moving_mean"));
      assertEquals(8, vars.trainable().size()); // kernel+bias of conv, dense, logits; gamma+beta
      assertEquals(10, vars.all().size()); // + moving mean and variance
    }
  }

  @Test
  void modelWithoutLogitsOrWithMisplacedLayersIsRefused() {
    FmnistException noLogits = assertThrows(FmnistException.class,
        () -> build(List.of(new Layer.Flatten(), new Layer.Dense(10, Layer.Activation.RELU)), false));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(noLogits));
    assertTrue(noLogits.getMessage().contains("last layer must be"), noLogits.getMessage());
    FmnistException denseOnImage = assertThrows(FmnistException.class, () -> build(List.of(LOGITS), false));
    assertTrue(denseOnImage.getMessage().contains("model.layers[0] (dense, units 10): needs a flat input"), denseOnImage.getMessage());
    FmnistException convOnFlat = assertThrows(FmnistException.class,
        () -> build(List.of(new Layer.Flatten(), new Layer.Conv(4, 3, 1, null, null, false), new Layer.Flatten(), LOGITS), false));
    assertTrue(convOnFlat.getMessage().contains("model.layers[1] (conv, filters 4, kernel 3): needs an image-shaped input"), convOnFlat.getMessage());
    FmnistException tooSmall = assertThrows(FmnistException.class,
        () -> build(withHead(List.of(new Layer.Conv(4, 29, 1, Layer.Padding.VALID, null, false))), false));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(tooSmall));
    assertEquals("model.layers[0] (conv, filters 4, kernel 29): the kernel (29x29) is larger than its 28x28 input"
        + " with padding: valid; use a smaller one or padding: same", tooSmall.getMessage());
  }

  @Test
  void denseOnlyModelHasNoFeatureMap() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      BuiltModel m = ModelBuilder.inference(tf, new ModelSpec(List.of(new Layer.Flatten(), LOGITS)), 10,
          new VariableStore(tf, VariableStore.Policy.INITIALIZE, 1), images);
      assertNull(m.lastFeatureMap());
    }
  }

  @Test
  void restoreStoreBuildsTheInferenceModelOnResourceVariables() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      VariableStore vars = new VariableStore(tf, VariableStore.Policy.RESTORE, 1);
      BuiltModel m = ModelBuilder.inference(tf, new ModelSpec(List.of(
          new Layer.Conv(6, 3, 1, Layer.Padding.SAME, null, true), new Layer.Residual(8, 2), new Layer.GlobalAvgPool(),
          new Layer.Dense(12, null), new Layer.BatchNorm(null, null), new Layer.Dropout(0.5), LOGITS)), 10,
          vars, images);
      assertShape(Shape.of(-1, 10), m.logits().shape());
      List<VariableStore.ResourceVariable> rs = vars.resources();
      // conv: kernel + 4 BN; residual: 2 convs, projection, 3 x 4 BN; dense: 2 + 4 BN; logits: 2
      assertEquals(1 + 4 + 3 + 12 + 2 + 4 + 2, rs.size());
      assertEquals(List.of("l00_conv/kernel", "l00_conv/bn/gamma", "l00_conv/bn/beta", "l00_conv/bn/moving_mean"),
          rs.subList(0, 4).stream().map(VariableStore.ResourceVariable::name).toList());
      assertEquals(List.of(true, true, true, false),
          rs.subList(0, 4).stream().map(VariableStore.ResourceVariable::trainable).toList());
      for (VariableStore.ResourceVariable r : rs) {
        assertEquals(r.name(), r.handle().op().name(), "the handle op is named as the checkpoint key");
        assertEquals("VarHandleOp", r.handle().op().type());
        assertEquals("ReadVariableOp", r.value().op().type());
      }
      java.util.Iterator<org.tensorflow.GraphOperation> ops = g.operations();
      while (ops.hasNext()) {
        assertFalse(ops.next().type().equals("VariableV2"), "no reference variables");
      }
      assertTrue(vars.all().isEmpty());
      assertThrows(IllegalStateException.class,
          () -> vars.variable("x", Shape.of(1), Initializer.ZEROS, true), "RESTORE stores have no reference variables");
    }
  }
}
