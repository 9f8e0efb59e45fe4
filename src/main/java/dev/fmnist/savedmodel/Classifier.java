package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.LabeledImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A loaded image classifier, checked before it was loaded: a SavedModel ({@link ClassifierModel})
 * or an ONNX model ({@link dev.fmnist.onnx.OnnxClassifier}); {@link Classifiers#load} chooses by
 * what the path is. It takes one float image input in one of the {@link ImageLayout}s and gives
 * {@link #classes()} scores per image, logits or probabilities (the values tell which: {@link
 * dev.fmnist.eval.OutputKind}). Images are handed over as the data layer holds them, row-major with
 * channels last, in [0, 1]; the default methods batch them, pad the last batch of a model with a
 * fixed batch size, and lay them out as the model's input wants. Close it to free the runtime's
 * native objects.
 */
public interface Classifier extends AutoCloseable {
  /** The batch size {@code evaluate} uses unless told otherwise. */
  int DEFAULT_BATCH_SIZE = 500;
  /** The most images per model call a caller may ask for (evaluate/compare {@code --batch-size}). */
  int MAX_BATCH_SIZE = 65_536;

  /**
   * What kind of model this is.
   *
   * @return {@link ModelFormat#SAVED_MODEL} or {@link ModelFormat#ONNX}
   */
  ModelFormat format();

  /**
   * What was loaded: the SavedModel's version directory, or the {@code .onnx} file.
   *
   * @return the loaded path
   */
  Path location();

  /**
   * What the model takes and gives: its input layout, fixed batch size, classes and description.
   *
   * @return the model's input and output, as the loader found them
   */
  ClassifierIo io();

  /**
   * The image input's layout, with the sizes it declares.
   *
   * @return the layout
   */
  default ImageLayout layout() {
    return io().layout();
  }

  /**
   * The batch size the input requires, or 0 when any size is accepted.
   *
   * @return the fixed batch size, or 0
   */
  default int fixedBatch() {
    return io().fixedBatch();
  }

  /**
   * The number of classes the model scores.
   *
   * @return K, the size of the output's last axis
   */
  default int classes() {
    return io().classes();
  }

  /**
   * The model's input and output in one line, for reports, e.g. {@code serving_default: images
   * float32 [-1,28,28,1] -> logits float32 [-1,10]}.
   *
   * @return the line, without a line break
   */
  default String describe() {
    return io().description();
  }

  /**
   * The fmnist manifest, or null for a model that has none (any ONNX model, foreign SavedModels).
   *
   * @return the manifest, or null
   */
  ModelManifest manifest();

  /**
   * Runs the model on one batch, already laid out as its input wants ({@link
   * ImageLayout#arrange}): {@code shape[0]} images of {@code shape}, and writes {@code shape[0] *
   * classes()} raw outputs into {@code out}.
   *
   * @param values the batch's input values, in the layout's order
   * @param shape the input shape to feed, {@code shape[0]} being the number of images
   * @param out receives {@code shape[0] * classes()} outputs, from index 0
   * @return the nanoseconds the runtime took
   * @throws ModelException when the model fails or gives outputs of another type or shape
   */
  long runBatch(float[] values, long[] shape, float[] out);

  /** Frees the runtime's objects; the model cannot be used afterwards. */
  @Override
  void close();

  /**
   * What the model's input images are: the sizes its input declares, else those its manifest
   * records, else Fashion-MNIST's 28x28x1 where the input allows them (models from before fmnist
   * trained other datasets); class names from the manifest when it lists one per class, else
   * {@code class 0}, {@code class 1}, ...
   *
   * @return the input's description
   * @throws ModelException when the model does not say its image size and 28x28x1 does not fit
   */
  default DatasetSpec inputSpec() {
    ImageLayout l = layout();
    // a model of 28x28 grayscale images and ten classes that names none is taken for Fashion-MNIST's
    List<String> names = classNames(l.accepts(FashionMnist.SPEC) ? FashionMnist.SPEC : null);
    ModelManifest manifest = manifest();
    if (l.fullyDeclared()) {
      return new DatasetSpec(name(), (int) l.height(), (int) l.width(), (int) l.channels(), names);
    }
    if (manifest != null && manifest.input().isPresent()) {
      int[] in = manifest.input().get();
      return new DatasetSpec(name(), in[0], in[1], in[2], names);
    }
    DatasetSpec fashion = FashionMnist.SPEC.withClassNames(names);
    if (l.accepts(fashion)) {
      return fashion;
    }
    throw new ModelException(location() + ": input " + l.describe() + " does not say the image size,"
        + " and the model has no fmnist manifest that records it");
  }

  /**
   * The class names: the manifest's when it lists one per class, else {@code fallback}'s when that
   * has as many, else {@code class 0}, {@code class 1}, ...
   *
   * @param fallback the description whose class names are used when the manifest has none
   * @return {@link #classes()} names, by label
   */
  default List<String> classNames(DatasetSpec fallback) {
    int k = classes();
    ModelManifest manifest = manifest();
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
   * @param spec the images to be fed
   * @throws ModelException naming what the model expects and what the images are
   */
  default void requireAccepts(DatasetSpec spec) {
    requireFits(layout(), classes(), spec, location());
  }

  /**
   * The one rule of what a classifier may be fed: its input {@code layout} accepts images of {@code
   * spec} (size and channels) and it scores {@code spec}'s number of classes.
   *
   * @param where names the model in the message
   * @param layout the model's input layout
   * @param classes the number of classes the model scores
   * @param spec the images to be fed
   * @throws ModelException naming what the model expects and what the images are
   */
  static void requireFits(ImageLayout layout, int classes, DatasetSpec spec, Path where) {
    requireImages(layout, spec, where);
    if (classes != spec.classes()) {
      throw new ModelException(where + ": the model scores " + classes + " classes, " + spec.name() + " has "
          + spec.classes());
    }
  }

  /**
   * The input half of {@link #requireFits}.
   *
   * @param layout the model's input layout
   * @param spec the images to be fed
   * @param where names the model in the message
   * @throws ModelException naming what the model's input expects and what the images are
   */
  static void requireImages(ImageLayout layout, DatasetSpec spec, Path where) {
    if (!layout.accepts(spec)) {
      throw new ModelException(where + ": the model's input is " + layout.describe() + ", the "
          + spec.name() + " images are " + spec.describeShape() + " (height x width x channels)");
    }
  }

  /**
   * Checks that the model's input accepts images of {@code spec} (their classes aside).
   *
   * @param spec the images to be fed
   * @throws ModelException naming the model's input and the images' size
   */
  default void requireImages(DatasetSpec spec) {
    requireImages(layout(), spec, location());
  }

  /**
   * Runs the model on {@code count} images of {@code spec} stored one after another in {@code
   * images} ({@code spec.valuesPerImage()} values each, in [0, 1]) and returns {@code count *
   * classes()} raw outputs.
   *
   * @param images the images' values
   * @param count how many images
   * @param spec their height, width and channels
   * @return the outputs, {@code classes()} per image
   * @throws ModelException when the model fails
   */
  default float[] predict(float[] images, int count, DatasetSpec spec) {
    requireImages(spec);
    int values = spec.valuesPerImage();
    int batch = fixedBatch() > 0 ? fixedBatch() : Math.max(count, 1);
    float[] out = new float[count * classes()];
    float[] buf = count <= batch ? images : new float[batch * values];
    for (int from = 0; from < count; from += batch) {
      int n = Math.min(batch, count - from);
      if (buf != images) {
        System.arraycopy(images, from * values, buf, 0, n * values);
      }
      predictBatch(buf, n, spec, out, from * classes());
    }
    return out;
  }

  /**
   * Predicts every image of {@code images} in batches of {@code batchSize} (of the model's fixed
   * batch size, if it has one).
   *
   * @param onBatch told the number of images done after each batch (may be null)
   * @param images the images to score
   * @param batchSize images per run, &gt;= 1 (the fixed batch size replaces it when the model has
   *     one)
   * @return the raw outputs, {@code size * classes()} values, and how long it took
   * @throws ModelException when the images do not fit the model ({@link #requireAccepts})
   */
  default RawOutputs predictAll(LabeledImages images, int batchSize, IntConsumer onBatch) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be 1 or more, found " + batchSize);
    }
    DatasetSpec spec = images.spec();
    requireAccepts(spec);
    int values = spec.valuesPerImage();
    int k = classes();
    int n = images.size();
    int batch = fixedBatch() > 0 ? fixedBatch() : Math.min(batchSize, Math.max(1, n));
    float[] out = new float[n * k];
    float[] buf = new float[batch * values];
    long start = System.nanoTime();
    long modelNanos = 0;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      for (int j = 0; j < count; j++) {
        images.copyScaled(from + j, buf, j * values);
      }
      modelNanos += predictBatch(buf, count, spec, out, from * k);
      if (onBatch != null) {
        onBatch.accept(from + count);
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    return new RawOutputs(out, new PredictionTiming(n, batch, modelNanos / 1e9, total));
  }

  /**
   * Runs the first {@code count} images of {@code images} (at most one batch), padded with zeros to
   * the fixed batch size if the model has one, writes their outputs at {@code outOffset} and
   * returns the nanoseconds the runtime took.
   */
  private long predictBatch(float[] images, int count, DatasetSpec spec, float[] out, int outOffset) {
    int fed = fixedBatch() > 0 ? fixedBatch() : count;
    int values = spec.valuesPerImage();
    float[] data = images;
    if (images.length != fed * values) {
      data = new float[fed * values];
      System.arraycopy(images, 0, data, 0, Math.min(images.length, count * values));
    }
    float[] batchOut = new float[fed * classes()];
    long nanos = runBatch(layout().arrange(data, fed, spec), layout().batchShape(fed, spec), batchOut);
    System.arraycopy(batchOut, 0, out, outOffset, count * classes());
    return nanos;
  }

  /**
   * The manifest's name, else the name of {@link #location()} without {@code .onnx}: {@code
   * savedmodels/cnn/3} gives {@code 3}, {@code models/net.onnx} gives {@code net}.
   *
   * @return the model's name
   */
  default String name() {
    return Classifiers.name(manifest(), location());
  }

  /**
   * Raw outputs of a prediction run.
   *
   * @param values {@code images * classes} values, image by image
   * @param timing how long it took
   */
  record RawOutputs(float[] values, PredictionTiming timing) {}
}
