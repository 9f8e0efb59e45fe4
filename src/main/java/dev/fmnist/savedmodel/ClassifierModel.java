package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.data.LabeledImages;

import dev.fmnist.FmnistException;
import java.nio.file.Path;
import java.util.function.IntConsumer;
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
 * the model to free the graph and session.
 */
public final class ClassifierModel implements AutoCloseable {
  /** The batch size {@code evaluate} uses unless told otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  private final Path dir;
  private final ModelSignature signature;
  private final SavedModelBundle bundle;

  private ClassifierModel(Path dir, ModelSignature signature, SavedModelBundle bundle) {
    this.dir = dir;
    this.signature = signature;
    this.bundle = bundle;
  }

  /**
   * Locates, checks and loads the model.
   *
   * @param signatureKey the signature, or null for {@code serving_default}
   * @param outputKey the class-score output, or null to choose (see {@link
   *     SavedModelInspector#inspect})
   * @throws FmnistException (bad input) if the model is refused or TensorFlow cannot load it
   */
  public static ClassifierModel load(Path dir, String signatureKey, String outputKey) {
    return load(dir, signatureKey, outputKey, false);
  }

  /**
   * Locates, checks and loads the model; with {@code trustModel}, without checking its ops against
   * {@link OpAllowlist} (the user vouches for the model: it may read or write files when loaded).
   */
  public static ClassifierModel load(Path dir, String signatureKey, String outputKey, boolean trustModel) {
    Path located = SavedModelInspector.locate(dir);
    ModelSignature sig = SavedModelInspector.inspect(located, signatureKey, outputKey, trustModel);
    try {
      SavedModelBundle bundle =
          SavedModelBundle.loader(located.toString())
              .withTags(SavedModelInspector.SERVE_TAG)
              .load();
      return new ClassifierModel(located, sig, bundle);
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new ModelException(
          located + ": TensorFlow could not load the SavedModel: " + FmnistException.firstLine(e.getMessage()), e);
    }
  }

  /** The SavedModel directory actually loaded (a version directory). */
  public Path directory() {
    return dir;
  }

  /** The checked signature. */
  public ModelSignature signature() {
    return signature;
  }

  /**
   * The loaded bundle, for graph work beyond prediction (Grad-CAM's gradients). It belongs to this
   * model: do not close it.
   */
  public SavedModelBundle bundle() {
    return bundle;
  }

  /**
   * Runs the model on {@code count} images stored one after another in {@code images} ({@link
   * ImageLayout#PIXELS} values each) and returns {@code count * 10} raw outputs.
   */
  public float[] predict(float[] images, int count) {
    float[] out = new float[count * SavedModelInspector.CLASSES];
    runBatch(images, count, out, 0);
    return out;
  }

  /**
   * Predicts every image of {@code images} in batches of {@code batchSize}.
   *
   * @param onBatch told the number of images done after each batch (may be null)
   * @return the raw outputs, {@code size * 10} values, and how long it took
   */
  public RawOutputs predictAll(LabeledImages images, int batchSize, IntConsumer onBatch) {
    if (batchSize < 1) {
      throw new ModelException("--batch-size: must be 1 or more, found " + batchSize);
    }
    int batch = signature.fixedBatch() > 0 ? signature.fixedBatch() : batchSize;
    int n = images.size();
    float[] out = new float[n * SavedModelInspector.CLASSES];
    float[] buf = new float[batch * ImageLayout.PIXELS];
    long start = System.nanoTime();
    long modelNanos = 0;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      for (int j = 0; j < count; j++) {
        images.copyScaled(from + j, buf, j * ImageLayout.PIXELS);
      }
      modelNanos += runBatch(buf, count, out, from * SavedModelInspector.CLASSES);
      if (onBatch != null) {
        onBatch.accept(from + count);
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    return new RawOutputs(out, new PredictionTiming(n, batch, modelNanos / 1e9, total));
  }

  /** Runs one batch, writes its outputs at {@code outOffset} and returns the nanoseconds of run. */
  private long runBatch(float[] images, int count, float[] out, int outOffset) {
    int fed = signature.fixedBatch() > 0 ? signature.fixedBatch() : count;
    Shape shape = Shape.of(signature.layout().batchShape(fed));
    float[] data = images;
    if (images.length != fed * ImageLayout.PIXELS) {
      data = new float[fed * ImageLayout.PIXELS];
      System.arraycopy(images, 0, data, 0, Math.min(images.length, count * ImageLayout.PIXELS));
    }
    try (TFloat32 input = TFloat32.tensorOf(shape, DataBuffers.of(data, true, false))) {
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
            || s.get(1) != SavedModelInspector.CLASSES) {
          throw new ModelException(
              dir + ": output '" + signature.outputKey() + "' gave " + t.dataType() + " " + s
                  + " for a batch of " + fed + ", expected float32 [" + fed + ", "
                  + SavedModelInspector.CLASSES + "]");
        }
        float[] batchOut = new float[fed * SavedModelInspector.CLASSES];
        scores.copyTo(DataBuffers.of(batchOut, false, false));
        System.arraycopy(batchOut, 0, out, outOffset, count * SavedModelInspector.CLASSES);
        return elapsed;
      }
    } catch (TensorFlowException e) {
      throw new ModelException(
          dir + ": the model failed to run on a batch of " + fed + ": " + FmnistException.firstLine(e.getMessage()),
          e);
    }
  }


  @Override
  public void close() {
    bundle.close();
  }

  /**
   * Raw outputs of a prediction run.
   *
   * @param values {@code images * 10} values, image by image
   * @param timing how long it took
   */
  public record RawOutputs(float[] values, PredictionTiming timing) {}
}
