package dev.fmnist.explain;

import dev.fmnist.ModelException;
import dev.fmnist.eval.ClassProbabilities;
import dev.fmnist.eval.OutputKind;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.savedmodel.ModelSignature;

import dev.fmnist.FmnistException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Gradient explanations built into a loaded model's graph: the score of a target class is {@code
 * sum(scores * onehot)}, with the pre-softmax input when the output is a {@code Softmax}, and
 * TensorFlow adds its gradients with respect to the input image (a saliency map) and to the feature
 * map of the last convolution (Grad-CAM, Selvaraju et al. 2017: channel weights are the spatially
 * averaged gradients, the map is the ReLU of the weighted sum of channels). The feature map is the
 * last {@code Conv2D}'s output followed through its bias, batch norm, residual add and activation.
 *
 * <p>TF2 SavedModels (Keras {@code model.export}) compute their outputs inside function calls that
 * TensorFlow Java cannot differentiate; for them the saliency map is estimated by central finite
 * differences of the class score (the logit, or the log-probability for probability outputs), one
 * pixel at a time, and there is no Grad-CAM. So it is for ONNX models, whose graphs fmnist does not
 * differentiate.
 */
public final class Explainer {
  private static final Set<String> FEATURE_MAP_CHAIN = Set.of("BiasAdd", "Add", "AddV2",
      "FusedBatchNorm", "FusedBatchNormV3", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu",
      "Identity");
  private static final String SCOPE = "fmnist_explain";

  private final Classifier model;
  private final String noGradients;
  private final GraphGradients gradients;

  private static final String TF2_FUNCTION_CALLS = "TensorFlow Java cannot differentiate this"
      + " model's graph (TF2 function calls)";

  /** Step of the finite differences, in pixel units of [0, 1]. */
  static final float FINITE_DIFFERENCE_STEP = 0.01f;

  /**
   * The gradient ops added to a SavedModel's graph.
   *
   * @param model the model whose graph holds them
   * @param onehot fed the target class of each image
   * @param inputGradient the target score's gradient with respect to the input images
   * @param featureMap the last convolution's feature map, or null when the model has none
   * @param featureGradient the target score's gradient with respect to {@code featureMap}, or null
   */
  private record GraphGradients(ClassifierModel model, Placeholder<TFloat32> onehot, Output<?> inputGradient,
      Output<?> featureMap, Output<?> featureGradient) {}

  /** An explainer with the graph's {@code gradients}, or by finite differences for {@code noGradients}. */
  private Explainer(Classifier model, String noGradients, GraphGradients gradients) {
    this.model = model;
    this.noGradients = noGradients;
    this.gradients = gradients;
  }

  /**
   * Adds the gradient ops to a SavedModel's graph (once per model); for an ONNX model, an explainer
   * by finite differences.
   *
   * @param model the loaded model; the explainer uses it but does not close it
   * @return the explainer
   * @throws ModelException when TensorFlow cannot differentiate the graph
   */
  public static Explainer of(Classifier model) {
    if (model instanceof ClassifierModel tf) {
      return of(tf);
    }
    return new Explainer(model, "fmnist does not differentiate " + model.format().displayName() + " models",
        null);
  }

  @SuppressWarnings("unchecked")
  private static Explainer of(ClassifierModel model) {
    Graph g = model.bundle().graph();
    ModelSignature sig = model.signature();
    Output<?> input = g.outputOrThrow(sig.inputTensor());
    Output<?> scores = g.outputOrThrow(sig.outputTensor());
    if (scores.op().type().equals("Softmax")) {
      scores = ((GraphOperation) scores.op()).input(0);
    }
    if (scores.op().type().endsWith("PartitionedCall")) {
      return new Explainer(model, TF2_FUNCTION_CALLS, null);
    }
    Output<?> features = lastFeatureMap((GraphOperation) scores.op());
    try {
      Ops tf = Ops.create(g).withSubScope(SCOPE);
      Placeholder<TFloat32> onehot = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, model.classes())));
      Operand<TFloat32> score = tf.reduceSum(
          tf.math.mul((Operand<TFloat32>) scores, onehot), tf.constant(new int[] {0, 1}));
      Output<?>[] xs = features == null ? new Output<?>[] {input}
          : new Output<?>[] {input, features};
      Output<?>[] grads = g.addGradients(score.asOutput(), xs);
      return new Explainer(model, null,
          new GraphGradients(model, onehot, grads[0], features, features == null ? null : grads[1]));
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new ModelException(model.location() + ": TensorFlow cannot differentiate this"
          + " graph" + (sig.tf2() ? " (a TF2 SavedModel computes its outputs inside function"
          + " calls)" : "") + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          e);
    }
  }

  /** An explainer that uses finite differences even where the graph has gradients (tests). */
  static Explainer withoutGraphGradients(Classifier model) {
    return new Explainer(model, "asked for finite differences", null);
  }

  /**
   * Whether gradients come from the graph (else from finite differences).
   *
   * @return true for graph gradients
   */
  public boolean graphGradients() {
    return gradients != null;
  }

  /**
   * Why the saliency maps come from finite differences, e.g. {@code fmnist does not differentiate
   * ONNX models}; null when the graph gives gradients.
   *
   * @return the reason, or null
   */
  public String whyFiniteDifferences() {
    return noGradients;
  }

  /**
   * The op whose output Grad-CAM uses, or null when the model has no convolution.
   *
   * @return the op's name, or null
   */
  public String featureMapName() {
    return gradients == null || gradients.featureMap() == null ? null : gradients.featureMap().op().name();
  }

  /** The last convolution before {@code scores}, followed through its element-wise successors. */
  static Output<?> lastFeatureMap(GraphOperation scores) {
    Deque<GraphOperation> queue = new ArrayDeque<>(List.of(scores));
    Set<String> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      GraphOperation op = queue.removeFirst();
      if (!seen.add(op.name())) {
        continue;
      }
      if (op.type().equals("Conv2D")) {
        Output<?> out = op.output(0);
        while (out.op() instanceof GraphOperation o && o.numConsumers(0) == 1) {
          GraphOperation next = o.consumers(0).iterator().next();
          if (!FEATURE_MAP_CHAIN.contains(next.type()) || next.name().startsWith(SCOPE)) {
            break;
          }
          out = next.output(0);
        }
        return out;
      }
      for (int i = 0; i < op.numInputs(); i++) {
        queue.addLast((GraphOperation) op.input(i).op());
      }
    }
    return null;
  }

  /**
   * Explains {@code count} images of {@code spec} stored one after another in {@code images}.
   *
   * @param targets the class to explain per image, or -1 for the predicted class
   * @param images the images' values
   * @param count how many images
   * @param spec their height, width and channels
   * @return one explanation per image
   */
  public Explanation[] explain(float[] images, int count, DatasetSpec spec, int[] targets) {
    int k = model.classes();
    float[] raw = model.predict(images, count, spec);
    ClassProbabilities probs = ClassProbabilities.of(raw, k);
    float[] hot = new float[count * k];
    int[] predicted = new int[count];
    int[] target = new int[count];
    for (int i = 0; i < count; i++) {
      predicted[i] = probs.top(i, 1).get(0).label();
      target[i] = targets[i] >= 0 ? targets[i] : predicted[i];
      hot[i * k + target[i]] = 1f;
    }
    if (gradients == null) {
      return finiteDifferences(images, count, spec, target, predicted, probs);
    }
    ClassifierModel graphModel = gradients.model();
    Output<?> featureMap = gradients.featureMap();
    Shape shape = Shape.of(graphModel.signature().layout().batchShape(count, spec));
    int values = spec.valuesPerImage();
    Session s = graphModel.bundle().session();
    Explanation[] out = new Explanation[count];
    try (TFloat32 in = TFloat32.tensorOf(shape, DataBuffers.of(images, true, false));
        TFloat32 oh = TFloat32.tensorOf(Shape.of(count, k),
            DataBuffers.of(hot, true, false))) {
      Session.Runner r = s.runner().feed(graphModel.signature().inputTensor(), in).feed(gradients.onehot(), oh)
          .fetch(gradients.inputGradient());
      if (featureMap != null) {
        r.fetch(featureMap).fetch(gradients.featureGradient());
      }
      try (Result res = r.run()) {
        float[] dx = read(res.get(0));
        float[] a = featureMap == null ? null : read(res.get(1));
        float[] da = featureMap == null ? null : read(res.get(2));
        Shape fs = featureMap == null ? null : res.get(1).shape();
        for (int i = 0; i < count; i++) {
          float[] img = new float[values];
          System.arraycopy(images, i * values, img, 0, values);
          float[] grad = new float[values];
          for (int p = 0; p < values; p++) {
            grad[p] = Math.abs(dx[i * values + p]);
          }
          float[] cam = fs == null ? null : GradCam.gradCam(a, da, i, (int) fs.get(1),
              (int) fs.get(2), (int) fs.get(3), spec.height(), spec.width());
          out[i] = new Explanation(spec, img, target[i], predicted[i], probs.probabilities().get(i),
              cam, GradCam.normalize(perPixel(grad, spec)));
        }
      }
    } catch (TensorFlowException e) {
      throw new ModelException(model.location() + ": computing gradients failed: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
    return out;
  }

  /** The largest of each pixel's channel values. */
  private static float[] perPixel(float[] values, DatasetSpec spec) {
    int ch = spec.channels();
    if (ch == 1) {
      return values;
    }
    float[] out = new float[values.length / ch];
    for (int p = 0; p < out.length; p++) {
      for (int c = 0; c < ch; c++) {
        out[p] = Math.max(out[p], values[p * ch + c]);
      }
    }
    return out;
  }

  private Explanation[] finiteDifferences(float[] images, int count, DatasetSpec spec, int[] target,
      int[] predicted, ClassProbabilities probs) {
    int px = spec.valuesPerImage();
    int k = model.classes();
    Explanation[] out = new Explanation[count];
    float[] batch = new float[2 * px * px];
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < px; p++) {
        System.arraycopy(images, i * px, batch, (2 * p) * px, px);
        System.arraycopy(images, i * px, batch, (2 * p + 1) * px, px);
        batch[(2 * p) * px + p] += FINITE_DIFFERENCE_STEP;
        batch[(2 * p + 1) * px + p] -= FINITE_DIFFERENCE_STEP;
      }
      float[] raw = model.predict(batch, 2 * px, spec);
      OutputKind kind = probs.kind();
      double[] row = new double[k];
      float[] sal = new float[px];
      for (int p = 0; p < px; p++) {
        double plus = score(raw, 2 * p, target[i], kind, row, k);
        double minus = score(raw, 2 * p + 1, target[i], kind, row, k);
        sal[p] = (float) Math.abs((plus - minus) / (2 * FINITE_DIFFERENCE_STEP));
      }
      float[] img = new float[px];
      System.arraycopy(images, i * px, img, 0, px);
      out[i] = new Explanation(spec, img, target[i], predicted[i], probs.probabilities().get(i), null,
          GradCam.normalize(perPixel(sal, spec)));
    }
    return out;
  }

  /** The logit, or the log-probability, of class {@code c} in row {@code r}. */
  private static double score(float[] raw, int r, int c, OutputKind kind, double[] tmp, int k) {
    if (kind == OutputKind.LOGITS) {
      return raw[r * k + c];
    }
    kind.toProbabilities(raw, r * k, k, tmp, 0);
    return Math.log(Math.max(tmp[c], 1e-30));
  }

  private static float[] read(org.tensorflow.Tensor t) {
    float[] v = new float[(int) t.shape().size()];
    ((TFloat32) t).copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
