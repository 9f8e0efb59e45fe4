package dev.fmnist.export;

import dev.fmnist.config.Recipe;
import dev.fmnist.model.BuiltModel;
import dev.fmnist.model.ModelBuilder;
import dev.fmnist.model.VariableStore;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import dev.fmnist.FmnistException;

/**
 * The inference-only graph that is exported: the model in inference mode (no dropout, moving
 * batch-norm statistics), its variables restored from a training checkpoint, and the signature
 * of docs/contracts.md. No optimizer state, no gradients. Its variables are resource variables with
 * their own saver ({@link ResourceSaver}), so that Python sees them (see {@link VariableStore}).
 */
final class InferenceGraph implements AutoCloseable {
  /** The Serving method name TF Serving's predict API expects. */
  static final String PREDICT_METHOD = "tensorflow/serving/predict";

  final Graph graph;
  final Session session;
  final Signature signature;
  /** The model's variables, in creation order. */
  final List<VariableStore.ResourceVariable> variables;
  /** For each variable, the saver op that assigns its restored value. */
  final List<String> restoreOps;

  /**
   * Builds the graph for {@code recipe} and restores its variables from {@code checkpointPrefix}.
   */
  InferenceGraph(Recipe recipe, String checkpointPrefix) {
    graph = new Graph();
    Session s = null;
    try {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images =
          tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      VariableStore vars = new VariableStore(tf, VariableStore.Policy.RESTORE, recipe.training().seed());
      Operand<TFloat32> logits = tf.withName("logits").identity(logits(tf, recipe, vars, images));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      Operand<TInt64> classes = tf.withName("classes").math.argMax(logits, tf.constant(1), TInt64.class);
      signature =
          Signature.builder()
              .key(Signature.DEFAULT_KEY)
              .methodName(PREDICT_METHOD)
              .input("images", images)
              .output("logits", logits)
              .output("probabilities", probabilities)
              .output("classes", classes)
              .build();
      variables = vars.resources();
      restoreOps = ResourceSaver.add(tf, variables);
      s = new Session(graph);
      try {
        s.restore(checkpointPrefix);
      } catch (TensorFlowException e) {
        throw FmnistException.badInput(checkpointPrefix + ": cannot restore the model's weights from this checkpoint: "
            + FmnistException.firstLine(e.getMessage()), e);
      }
      session = s;
    } catch (RuntimeException | Error e) {
      if (s != null) {
        s.close();
      }
      graph.close();
      throw e;
    }
  }

  /**
   * The model's logits for {@code images}; with test-time flip averaging, the mean of the logits of
   * each image and of its horizontal mirror image, computed as one batch of twice the size.
   */
  private static Operand<TFloat32> logits(Ops tf, Recipe recipe, VariableStore vars, Operand<TFloat32> images) {
    if (!recipe.model().flipAveraged()) {
      return ModelBuilder.inference(tf, recipe.model(), vars, images).logits();
    }
    Ops t = tf.withSubScope("flip_average");
    Operand<TFloat32> mirrored = t.reverse(images, t.constant(new int[] {2}));
    Operand<TFloat32> both = t.concat(List.of(images, mirrored), t.constant(0));
    BuiltModel model = ModelBuilder.inference(tf, recipe.model(), vars, both);
    var halves = t.split(t.constant(0), model.logits(), 2L).output();
    return t.math.mul(t.math.add(halves.get(0), halves.get(1)), t.constant(0.5f));
  }

  /** The logits of this graph's session for the first images of {@code set} (at most 256). */
  dev.fmnist.train.TrainingResult.Probe probe(dev.fmnist.data.ImageSet set) {
    int n = Math.min(256, set.size());
    float[] images = new float[n * dev.fmnist.data.ImageSet.PIXELS];
    for (int i = 0; i < n; i++) {
      set.copyScaled(i, images, i * dev.fmnist.data.ImageSet.PIXELS);
    }
    float[] logits = new float[n * 10];
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, 28, 28, 1))) {
      in.asRawTensor().data().asFloats().write(images);
      try (org.tensorflow.Result r = session.runner().feed("images", in).fetch("logits").run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
      }
    }
    return new dev.fmnist.train.TrainingResult.Probe(images, logits, n);
  }


  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
