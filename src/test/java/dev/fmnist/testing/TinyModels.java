package dev.fmnist.testing;

import dev.fmnist.savedmodel.ImageLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Tiny SavedModels built with TensorFlow Java for tests. The classifier is the "band" model: class
 * {@code c} scores {@code 0.1 * (sum of pixels in rows 4+2c and 5+2c)}, so an image with one bright
 * band {@link TinyDataset#bandImage} is classified as that band. A bias variable (VariableV2) makes
 * the export and restore of variables part of every test.
 */
public final class TinyModels {
  /** What to build. Malformed variants exist to test refusals. */
  public record Spec(
      ImageLayout.Kind layout,
      boolean uint8Input,
      int width,
      String signatureKey,
      OutputStyle outputs,
      boolean convolutional,
      int favoured) {
    public static Spec fmnist() {
      return new Spec(ImageLayout.Kind.NHWC, false, 10, "serving_default", OutputStyle.FMNIST, false,
          -1);
    }

    /** The same model with a bias of +3 on class {@code c}'s logit. */
    public Spec favouring(int c) {
      return new Spec(layout, uint8Input, width, signatureKey, outputs, convolutional, c);
    }

    public Spec layout(ImageLayout.Kind l) {
      return new Spec(l, uint8Input, width, signatureKey, outputs, convolutional, favoured);
    }

    public Spec uint8() {
      return new Spec(layout, true, width, signatureKey, outputs, convolutional, favoured);
    }

    public Spec width(int w) {
      return new Spec(layout, uint8Input, w, signatureKey, outputs, convolutional, favoured);
    }

    public Spec signature(String key) {
      return new Spec(layout, uint8Input, width, key, outputs, convolutional, favoured);
    }

    public Spec outputs(OutputStyle o) {
      return new Spec(layout, uint8Input, width, signatureKey, o, convolutional, favoured);
    }

    public Spec withConv() {
      return new Spec(layout, uint8Input, width, signatureKey, outputs, true, favoured);
    }
  }

  /** Which outputs the signature has. */
  public enum OutputStyle {
    /** {@code logits}, {@code probabilities}, {@code classes}, as fmnist exports. */
    FMNIST,
    /** One output {@code output_0} holding probabilities, input named {@code keras_tensor}. */
    KERAS,
    /** One output {@code scores} holding logits. */
    LOGITS_ONLY
  }

  private TinyModels() {}

  /** Writes the model to {@code dir} (created) and returns {@code dir}. */
  public static Path export(Path dir, Spec spec) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      long[] inShape = switch (spec.layout()) {
        case NHWC -> new long[] {-1, 28, 28, 1};
        case NHW -> new long[] {-1, 28, 28};
        case FLAT -> new long[] {-1, 784};
        case NCHW -> new long[] {-1, 1, 28, 28};
      };
      String inputName = spec.outputs() == OutputStyle.KERAS ? "keras_tensor" : "images";
      Operand<? extends TType> input;
      Operand<TFloat32> x;
      if (spec.uint8Input()) {
        Placeholder<TUint8> p =
            tf.withName(inputName).placeholder(TUint8.class, Placeholder.shape(Shape.of(inShape)));
        input = p;
        x = tf.dtypes.cast(p, TFloat32.class);
      } else {
        Placeholder<TFloat32> p =
            tf.withName(inputName).placeholder(TFloat32.class, Placeholder.shape(Shape.of(inShape)));
        input = p;
        x = p;
      }
      Operand<TFloat32> flat;
      if (spec.convolutional()) {
        Operand<TFloat32> img = tf.reshape(x, tf.constant(new long[] {-1, 28, 28, 1}));
        float[][][][] filter = new float[3][3][1][2];
        filter[1][1][0][0] = 1f; // channel 0: identity
        filter[1][1][0][1] = -1f; // channel 1: negated, so ReLU zeroes it
        Operand<TFloat32> conv =
            tf.withName("conv")
                .nn
                .conv2d(img, tf.constant(filter), List.of(1L, 1L, 1L, 1L), "SAME");
        Operand<TFloat32> act = tf.withName("conv_relu").nn.relu(conv);
        Operand<TFloat32> channel0 =
            tf.reshape(
                tf.slice(act, tf.constant(new int[] {0, 0, 0, 0}), // int32: Slice's gradient
                    tf.constant(new int[] {-1, 28, 28, 1})), //   needs int32 begin and size
                tf.constant(new long[] {-1, 784}));
        flat = channel0;
      } else {
        flat = tf.reshape(x, tf.constant(new long[] {-1, 784}));
      }
      float[] biasInit = new float[spec.width()];
      if (spec.favoured() >= 0) {
        biasInit[spec.favoured()] = 3f;
      }
      Operand<TFloat32> bias = tf.withName("bias").variable(tf.constant(biasInit));
      Operand<TFloat32> logits =
          tf.withName("logits")
              .math
              .add(tf.linalg.matMul(flat, tf.constant(bandWeights(spec.width()))), bias);
      Operand<TFloat32> probs = tf.withName("probabilities").nn.softmax(logits);
      Operand<TInt64> classes = tf.withName("classes").math.argMax(logits, tf.constant(1));
      Signature.Builder sig =
          Signature.builder().key(spec.signatureKey()).methodName("tensorflow/serving/predict");
      sig.input(inputName, input);
      switch (spec.outputs()) {
        case FMNIST -> sig.output("logits", logits).output("probabilities", probs)
            .output("classes", classes);
        case KERAS -> sig.output("output_0", probs);
        case LOGITS_ONLY -> sig.output("scores", logits);
      }
      try (Session s = new Session(g)) {
        s.initialize();
        Files.createDirectories(dir);
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(sig.build(), s))
            .export();
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row {@code r} of the image belongs to band {@code (r - 4) / 2} when that is in range. */
  static float[][] bandWeights(int width) {
    float[][] w = new float[784][width];
    for (int p = 0; p < 784; p++) {
      int band = (p / 28 - 4) / 2;
      if (p / 28 >= 4 && band < width) {
        w[p][band] = 0.1f;
      }
    }
    return w;
  }

  /** The band model's logits for one image, computed in Java, for checking predictions. */
  public static float[] bandLogits(float[] image) {
    float[][] w = bandWeights(10);
    float[] out = new float[10];
    for (int p = 0; p < 784; p++) {
      for (int c = 0; c < 10; c++) {
        out[c] += image[p] * w[p][c];
      }
    }
    return out;
  }

  /** For messages in assertions. */
  public static String toString(float[] v) {
    return Arrays.toString(v);
  }
}
