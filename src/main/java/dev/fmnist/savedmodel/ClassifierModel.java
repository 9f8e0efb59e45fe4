package dev.fmnist.savedmodel;

import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import java.nio.file.Path;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A loaded SavedModel classifier: checked with {@link SavedModelInspector} first, then loaded with
 * TensorFlow and fed batches of images. Every tensor is closed as soon as it has been read. Close
 * the model to free the graph and session. {@link Classifiers#load} loads a SavedModel or an ONNX
 * model alike.
 */
public final class ClassifierModel extends AbstractClassifier {
  private final ModelSignature signature;
  private final SavedModelBundle bundle;
  /** The largest batch already checked by {@link RunGuard#check} (its figure grows with the batch). */
  private long checkedBatch;

  private ClassifierModel(Path dir, ModelSignature signature, SavedModelBundle bundle, ModelManifest manifest) {
    super(ModelFormat.SAVED_MODEL, dir, signature.io(), manifest);
    this.signature = signature;
    this.bundle = bundle;
  }

  /**
   * Locates, checks and loads the model.
   *
   * @param signatureKey the signature, or null for {@code serving_default}
   * @param outputKey the class-score output, or null to choose (see {@link
   *     SavedModelInspector#inspect})
   * @param dir a SavedModel directory or a directory of numbered versions
   * @return the loaded model; the caller closes it
   * @throws ModelException if the model is refused or TensorFlow cannot load it
   */
  public static ClassifierModel load(Path dir, String signatureKey, String outputKey) {
    return load(dir, signatureKey, outputKey, false);
  }

  /**
   * Locates, checks and loads the model; with {@code trustModel}, without checking its ops against
   * {@link OpAllowlist} (the user vouches for the model: it may read or write files when loaded).
   *
   * @param dir a SavedModel directory or a directory of numbered versions
   * @param signatureKey the signature, or null for {@code serving_default}
   * @param outputKey the class-score output, or null to choose
   * @param trustModel true to skip the op allowlist
   * @return the loaded model; the caller closes it
   * @throws ModelException if the model is refused or TensorFlow cannot load it
   */
  public static ClassifierModel load(Path dir, String signatureKey, String outputKey, boolean trustModel) {
    Path located = SavedModelInspector.locate(dir);
    ModelSignature sig = SavedModelInspector.inspect(located, signatureKey, outputKey, trustModel);
    ModelManifest manifest = ModelManifest.read(located).orElse(null);
    try {
      SavedModelBundle bundle =
          SavedModelBundle.loader(located.toString())
              .withTags(SavedModelInspector.SERVE_TAG)
              .load();
      try {
        RunGuard.check(located, bundle.graph(), sig.outputTensor(), 1, dev.fmnist.Machine.physicalMemoryBytes());
      } catch (RuntimeException e) {
        bundle.close();
        throw e;
      }
      ClassifierModel m = new ClassifierModel(located, sig, bundle, manifest);
      m.checkedBatch = 1;
      return m;
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new ModelException(
          located + ": TensorFlow could not load the SavedModel: " + FmnistException.firstLine(e.getMessage()), e);
    }
  }

  /**
   * The SavedModel directory actually loaded (a version directory).
   *
   * @return the version directory
   */
  public Path directory() {
    return location();
  }

  /**
   * The checked signature.
   *
   * @return the signature's input, output and layout
   */
  public ModelSignature signature() {
    return signature;
  }

  /**
   * The loaded bundle, for graph work beyond prediction (Grad-CAM's gradients). It belongs to this
   * model: do not close it.
   *
   * @return the bundle
   */
  public SavedModelBundle bundle() {
    return bundle;
  }

  @Override
  public long runBatch(float[] values, long[] shape, float[] out) {
    long fed = shape[0];
    int k = classes();
    if (fed > checkedBatch) {
      RunGuard.check(location(), bundle.graph(), signature.outputTensor(), fed, dev.fmnist.Machine.physicalMemoryBytes());
      checkedBatch = fed;
    }
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
      long t0 = System.nanoTime();
      try (Result result =
          bundle.session()
              .runner()
              .feed(signature.inputTensor(), input)
              .fetch(signature.outputTensor())
              .run()) {
        long elapsed = System.nanoTime() - t0;
        Tensor t = result.get(0);
        Shape s = t.shape();
        if (!(t instanceof TFloat32 scores)
            || s.numDimensions() != 2
            || s.get(0) != fed
            || s.get(1) != k) {
          throw new ModelException(
              location() + ": output '" + signature.outputKey() + "' gave " + t.dataType() + " " + s
                  + " for a batch of " + fed + ", expected float32 [" + fed + ", " + k + "]");
        }
        scores.copyTo(DataBuffers.of(out, false, false));
        return elapsed;
      }
    } catch (TensorFlowException e) {
      throw new ModelException(
          location() + ": the model failed to run on a batch of " + fed + ": " + FmnistException.firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
