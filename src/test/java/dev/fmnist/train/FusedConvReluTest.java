package dev.fmnist.train;

import dev.fmnist.data.FashionMnist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.model.ConvFusion;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The CPU training tower emits conv + bias + ReLU as one {@code _FusedConv2D} op with its own
 * gradient; training with it must match training with the plain ops.
 */
class FusedConvReluTest {
  private static final String RECIPE = """
      name: fused
      model:
        layers:
          - conv: {filters: 4, kernel: 3, padding: same}
          - maxpool: {size: 2}
          - conv: {filters: 6, kernel: 3, stride: 2, padding: valid}
          - flatten: {}
          - dense: {units: 10, activation: none}
      training: {seed: 7}
      """;

  @Test
  void fusedAndPlainTowersTrainAlike() {
    Recipe recipe = RecipeLoader.parse(RECIPE, "fused.yaml");
    float[][] fused = trainAndPredict(recipe, ConvFusion.FLOAT32);
    float[][] plain = trainAndPredict(recipe, ConvFusion.NONE);
    double maxDiff = 0;
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < plain[k].length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(fused[k][i] - plain[k][i]));
      }
    }
    assertTrue(maxDiff < 1e-4, "max |fused - plain| = " + maxDiff);
    // Training moved the weights: the logits after the steps differ from the initial ones.
    double moved = 0;
    for (int i = 0; i < plain[0].length; i++) {
      moved = Math.max(moved, Math.abs(plain[1][i] - plain[0][i]));
    }
    assertTrue(moved > 1e-3, "training changed nothing: " + moved);
    assertEquals(plain[0].length, fused[0].length);
  }

  @Test
  void theBfloat16FusedTowerRunsInBfloat16AndTrainsLikeTheFloat32One() {
    Recipe recipe = RecipeLoader.parse(RECIPE, "fused.yaml");
    float[][] bf16 = trainAndPredict(recipe, ConvFusion.BFLOAT16);
    float[][] plain = trainAndPredict(recipe, ConvFusion.NONE);
    double maxDiff = 0;
    double scale = 0;
    for (int i = 0; i < plain[1].length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(bf16[1][i] - plain[1][i]));
      scale = Math.max(scale, Math.abs(plain[1][i] - plain[0][i]));
    }
    // bfloat16 keeps 8 bits of mantissa: after 5 steps the logits agree to a few percent of how far they moved
    assertTrue(maxDiff < 0.1 * scale, "max |bf16 - float32| = " + maxDiff + ", moved " + scale);
    try (TrainingGraph g = TrainingGraph.build(recipe, FashionMnist.SPEC, false, ConvFusion.BFLOAT16)) {
      long bf16Fused = 0;
      for (java.util.Iterator<org.tensorflow.GraphOperation> it = g.graph.operations(); it.hasNext(); ) {
        org.tensorflow.GraphOperation op = it.next();
        if (op.type().endsWith("FusedConv2D") && op.output(0).dataType() == org.tensorflow.proto.DataType.DT_BFLOAT16) {
          bf16Fused++;
        }
      }
      assertEquals(2, bf16Fused, "both conv layers fused in bfloat16");
    }
  }

  /** Logits of the evaluation tower before and after 5 Adam steps on one batch. */
  private static float[][] trainAndPredict(Recipe recipe, ConvFusion fuse) {
    int n = 8;
    Random rnd = new Random(3);
    float[] pixels = new float[n * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = rnd.nextFloat();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
    }
    float[][] out = new float[2][n * 10];
    try (TrainingGraph g = TrainingGraph.build(recipe, FashionMnist.SPEC, false, fuse);
        Session s = new Session(g.graph, new SessionOptions(SessionOptions.Device.CPU, 1, 1).config());
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, 28, 28, 1));
        TInt32 y = TInt32.vectorOf(labels);
        TFloat32 lr = TFloat32.scalarOf(0.01f);
        TFloat32 b1 = TFloat32.scalarOf(0.9f);
        TFloat32 b2 = TFloat32.scalarOf(0.999f);
        TInt64 seed = TInt64.vectorOf(7, 0)) {
      x.asRawTensor().data().asFloats().write(pixels);
      s.initialize();
      read(s, g, x, out[0]);
      for (int step = 0; step < 5; step++) {
        s.runner().feed(g.images, x).feed(g.labels, y).feed(g.learningRate, lr).feed(g.beta1Power, b1)
            .feed(g.beta2Power, b2).feed(g.dropoutSeed, seed).addTarget(g.trainStep).run().close();
      }
      read(s, g, x, out[1]);
    }
    return out;
  }

  private static void read(Session s, TrainingGraph g, TFloat32 x, float[] into) {
    try (Result r = s.runner().feed(g.images, x).fetch(g.evalLogits).run()) {
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(into);
    }
  }
}
