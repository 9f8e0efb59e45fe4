package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Models whose ops all pass the allowlist but would run away: one that fills a 200000x200000
 * tensor (160 GB), and one that chains a hundred 2000x2000 matrix products, are refused from their
 * graph's shapes when they are loaded, before anything runs: exit 2, one line.
 */
class RunawayModelTest {
  @TempDir static Path tmp;

  /**
   * A 784-to-10 linear classifier ({@code logits}, {@code probabilities}, {@code classes}, as fmnist
   * exports) whose logits also depend on {@code extra(tf, images)}, a scalar (added times zero: a
   * data dependency, which TensorFlow's graph optimizer keeps, where it would drop an op that is
   * only a control dependency).
   */
  static Path export(Path dir, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> extra) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images =
          tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Operand<TFloat32> flat = tf.reshape(images, tf.constant(new long[] {-1, 784}));
      Operand<TFloat32> hostile = extra.apply(tf, images);
      Operand<TFloat32> logits = tf.withName("logits").math.add(
          tf.linalg.matMul(flat, tf.constant(new float[784][10])), tf.math.mul(tf.constant(0f), hostile));
      Signature sig = Signature.builder().key("serving_default").methodName("tensorflow/serving/predict")
          .input("images", images).output("logits", logits)
          .output("probabilities", tf.withName("probabilities").nn.softmax(logits))
          .output("classes", tf.withName("classes").math.argMax(logits, tf.constant(1)))
          .build();
      try (Session s = new Session(g)) {
        Files.createDirectories(dir);
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
      }
    }
    return dir;
  }

  private static void assertOneLine(CliRun r) {
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals(1, r.err().strip().split("\n").length, r.toString());
    assertFalse(r.err().contains("Exception") || r.err().contains("at dev."), r.toString());
  }

  @Test
  void aFillOfA200000x200000ShapeIsRefusedWhenTheModelIsLoaded() throws IOException {
    Path model = export(tmp.resolve("fill"), (tf, images) -> tf.sum(tf.withName("hostile_fill")
        .fill(tf.constant(new long[] {200_000, 200_000}), tf.constant(1f)), tf.constant(new int[] {0, 1})));
    Path image = TestImages.write(TestImages.bandPhoto(3), "png", tmp.resolve("a.png"));
    CliRun predict = CliRun.of("predict", model.toString(), image.toString());
    assertOneLine(predict);
    assertTrue(predict.err().startsWith("error: " + model + ": refused: op 'hostile_fill' (Fill) makes float"
        + " [200000, 200000], so a batch of 1 needs at least 160 GB; this machine has "), predict.err());

    Path data = TinyDataset.of(20, 4).writeDataset(tmp.resolve("data"));
    CliRun evaluate = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(), "--no-report");
    assertOneLine(evaluate);
    assertTrue(evaluate.err().contains("refused: op 'hostile_fill' (Fill)"), evaluate.toString());
  }

  @Test
  void aChainOfLargeProductsIsRefusedWhenTheModelIsLoaded() throws IOException {
    int n = 2000; // each product is 1.6e10 operations; 100 of them run for minutes on two cores
    Path model = export(tmp.resolve("slow"), (tf, images) -> {
      Operand<TFloat32> a = tf.fill(tf.constant(new long[] {n, n}),
          tf.math.mean(images, tf.constant(new int[] {0, 1, 2, 3}))); // fed, so nothing is folded
      Operand<TFloat32> m = a;
      for (int i = 0; i < 100; i++) {
        m = tf.withName("product_" + i).linalg.matMul(m, a);
      }
      return tf.sum(m, tf.constant(new int[] {0, 1}));
    });
    Path image = TestImages.write(TestImages.bandPhoto(3), "png", tmp.resolve("b.png"));
    CliRun r = CliRun.of("predict", model.toString(), image.toString());
    assertOneLine(r);
    assertTrue(r.err().startsWith("error: " + model + ": refused: one image takes at least 1.6e+12 floating-point"
        + " operations (the most: op 'product_"), r.toString());
    assertTrue(r.err().strip().endsWith("(MatMul)), more than the 1e+12 fmnist runs per image"), r.toString());
  }

  @Test
  void theShippedModelsPassTheChecks() {
    for (String m : List.of("mlp", "cnn", "resnet-deep")) {
      CliRun r = CliRun.of("predict", "savedmodels/" + m + "/1", "--top", "1",
          "src/test/resources/does-not-exist.png");
      assertFalse(r.err().contains("refused"), r.toString()); // the image is the only error
      assertTrue(r.err().contains("does-not-exist.png: no such file"), r.toString());
    }
  }
}
