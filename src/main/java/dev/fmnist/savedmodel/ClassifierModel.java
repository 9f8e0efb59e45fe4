package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.LabeledImages;
import java.util.ArrayList;
import java.util.List;

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
  private final ModelManifest manifest;

  private ClassifierModel(Path dir, ModelSignature signature, SavedModelBundle bundle, ModelManifest manifest) {
    this.dir = dir;
    this.signature = signature;
    this.bundle = bundle;
    this.manifest = manifest;
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
    ModelManifest manifest = ModelManifest.read(located).orElse(null);
    try {
      SavedModelBundle bundle =
          SavedModelBundle.loader(located.toString())
              .withTags(SavedModelInspector.SERVE_TAG)
              .load();
      return new ClassifierModel(located, sig, bundle, manifest);
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

  /** The fmnist manifest, or null for a foreign model. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** The number of classes the model scores. */
  public int classes() {
    return signature.classes();
  }

  /**
   * What the model's input images are: the sizes its signature declares, else those its manifest
   * records, else Fashion-MNIST's 28x28x1 where the signature allows them (models from before
   * fmnist trained other datasets); class names from the manifest when it lists one per class,
   * else Fashion-MNIST's for a model without a manifest that takes its images and scores ten
   * classes, else {@code class 0}, {@code class 1}, ...
   *
   * @throws ModelException when the model does not say its image size and 28x28x1 does not fit
   */
  public DatasetSpec inputSpec() {
    return inputSpec(dir, signature, manifest);
  }

  /**
   * {@link #inputSpec()} of a model checked but not loaded: from its signature and manifest (null
   * for a foreign model), without TensorFlow.
   */
  public static DatasetSpec inputSpec(Path dir, ModelSignature signature, ModelManifest manifest) {
    List<String> names = classNames(signature.classes(), manifest, null);
    if (manifest == null && signature.classes() == FashionMnist.SPEC.classes()
        && signature.layout().accepts(FashionMnist.SPEC)) {
      names = FashionMnist.CLASS_NAMES; // a foreign Fashion-MNIST model, e.g. from Keras
    }
    String name = manifest != null && !manifest.name().isEmpty() ? manifest.name() : dir.getFileName().toString();
    ImageLayout l = signature.layout();
    if (l.fullyDeclared()) {
      return new DatasetSpec(name, (int) l.height(), (int) l.width(), (int) l.channels(), names);
    }
    if (manifest != null && manifest.input().isPresent()) {
      int[] in = manifest.input().get();
      return new DatasetSpec(name, in[0], in[1], in[2], names);
    }
    DatasetSpec fashion = FashionMnist.SPEC.withClassNames(names);
    if (l.accepts(fashion)) {
      return fashion;
    }
    throw new ModelException(dir + ": input " + l.describe() + " does not say the image size, and the model has no"
        + " fmnist manifest that records it");
  }

  /**
   * The class names: the manifest's when it lists one per class, else {@code fallback}'s when that
   * has as many, else {@code class 0}, {@code class 1}, ...
   */
  public List<String> classNames(DatasetSpec fallback) {
    return classNames(classes(), manifest, fallback);
  }

  private static List<String> classNames(int k, ModelManifest manifest, DatasetSpec fallback) {
    if (manifest != null && manifest.classNames().size() == k) {
      return manifest.classNames();
    }
    if (fallback != null && fallback.classes() == k) {
      return fallback.classNames();
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      names.add("class " + c);
    }
    return names;
  }

  /**
   * Checks that images of {@code spec} fit the model: its input accepts their size and channels,
   * and it scores as many classes as {@code spec} has.
   *
   * @throws ModelException naming what the model expects and what the images are
   */
  public void requireAccepts(DatasetSpec spec) {
    requireImages(spec);
    if (classes() != spec.classes()) {
      throw new ModelException(dir + ": the model scores " + classes() + " classes, " + spec.name() + " has "
          + spec.classes());
    }
  }

  private void requireImages(DatasetSpec spec) {
    if (!signature.layout().accepts(spec)) {
      throw new ModelException(dir + ": the model's input is " + signature.layout().describe() + ", the "
          + spec.name() + " images are " + spec.describeShape() + " (height x width x channels)");
    }
  }

  /**
   * Runs the model on {@code count} images of {@code spec} stored one after another in {@code
   * images} ({@code spec.valuesPerImage()} values each, in [0, 1]) and returns {@code count *
   * classes()} raw outputs.
   */
  public float[] predict(float[] images, int count, DatasetSpec spec) {
    requireImages(spec);
    float[] out = new float[count * classes()];
    runBatch(images, count, spec, out, 0);
    return out;
  }

  /**
   * Predicts every image of {@code images} in batches of {@code batchSize}.
   *
   * @param onBatch told the number of images done after each batch (may be null)
   * @return the raw outputs, {@code size * classes()} values, and how long it took
   * @throws ModelException when the images do not fit the model ({@link #requireAccepts})
   */
  public RawOutputs predictAll(LabeledImages images, int batchSize, IntConsumer onBatch) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be 1 or more, found " + batchSize);
    }
    DatasetSpec spec = images.spec();
    requireAccepts(spec);
    int values = spec.valuesPerImage();
    int k = classes();
    int batch = signature.fixedBatch() > 0 ? signature.fixedBatch() : batchSize;
    int n = images.size();
    float[] out = new float[n * k];
    float[] buf = new float[batch * values];
    long start = System.nanoTime();
    long modelNanos = 0;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      for (int j = 0; j < count; j++) {
        images.copyScaled(from + j, buf, j * values);
      }
      modelNanos += runBatch(buf, count, spec, out, from * k);
      if (onBatch != null) {
        onBatch.accept(from + count);
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    return new RawOutputs(out, new PredictionTiming(n, batch, modelNanos / 1e9, total));
  }

  /** Runs one batch, writes its outputs at {@code outOffset} and returns the nanoseconds of run. */
  private long runBatch(float[] images, int count, DatasetSpec spec, float[] out, int outOffset) {
    int fed = signature.fixedBatch() > 0 ? signature.fixedBatch() : count;
    int values = spec.valuesPerImage();
    int k = classes();
    Shape shape = Shape.of(signature.layout().batchShape(fed, spec));
    float[] data = images;
    if (images.length != fed * values) {
      data = new float[fed * values];
      System.arraycopy(images, 0, data, 0, Math.min(images.length, count * values));
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
            || s.get(1) != k) {
          throw new ModelException(
              dir + ": output '" + signature.outputKey() + "' gave " + t.dataType() + " " + s
                  + " for a batch of " + fed + ", expected float32 [" + fed + ", " + k + "]");
        }
        float[] batchOut = new float[fed * k];
        scores.copyTo(DataBuffers.of(batchOut, false, false));
        System.arraycopy(batchOut, 0, out, outOffset, count * k);
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
   * @param values {@code images * classes} values, image by image
   * @param timing how long it took
   */
  public record RawOutputs(float[] values, PredictionTiming timing) {}
}
