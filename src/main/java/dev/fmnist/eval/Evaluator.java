package dev.fmnist.eval;

import dev.fmnist.ModelException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ModelInfo;
import dev.fmnist.savedmodel.SavedModelInspector;
import java.nio.file.Path;

/** Loads a model, predicts a labelled image set in batches and computes every metric. */
public final class Evaluator {
  /**
   * Which model and how to run it.
   *
   * @param dir the model as the user named it: a SavedModel, its versions' parent, or an {@code
   *     .onnx} file
   * @param signature the signature key, or null for {@code serving_default} (SavedModels only)
   * @param output the class-score output, or null to choose
   * @param batchSize images per model call
   * @param trustModel load the model without checking its ops ({@link dev.fmnist.savedmodel.OpAllowlist},
   *     or the ONNX op domains)
   */
  public record Request(Path dir, String signature, String output, int batchSize, boolean trustModel) {
    /**
     * Checks the batch size.
     *
     * @param dir the model as the user named it
     * @param signature the signature key, or null
     * @param output the class-score output, or null
     * @param batchSize images per model call, 1 to {@link Classifier#MAX_BATCH_SIZE}
     * @param trustModel load the model without checking its ops
     * @throws dev.fmnist.config.ConfigException when {@code batchSize} is out of that range
     */
    public Request {
      checkBatchSize(batchSize);
    }

    /**
     * Refuses a batch size outside 1 to {@link Classifier#MAX_BATCH_SIZE}, naming {@code --batch-size}.
     *
     * @param batchSize images per model call
     * @throws dev.fmnist.config.ConfigException when it is out of range
     */
    public static void checkBatchSize(int batchSize) {
      if (batchSize < 1 || batchSize > Classifier.MAX_BATCH_SIZE) {
        throw new ConfigException("--batch-size: must be 1 to " + Classifier.MAX_BATCH_SIZE + ", found " + batchSize);
      }
    }

    /**
     * A request for the model in {@code dir} with its defaults (serving_default, checked ops).
     *
     * @param dir the model as the user named it
     * @return the request, with {@link Classifier#DEFAULT_BATCH_SIZE} images per call
     */
    public static Request of(Path dir) {
      return new Request(dir, null, null, Classifier.DEFAULT_BATCH_SIZE, false);
    }

    /**
     * A request for a model whose ops are checked.
     *
     * @param dir the model as the user named it
     * @param signature the signature key, or null
     * @param output the class-score output, or null
     * @param batchSize images per model call, &gt;= 1
     */
    public Request(Path dir, String signature, String output, int batchSize) {
      this(dir, signature, output, batchSize, false);
    }

    /**
     * How to load the model.
     *
     * @return the signature, output and trust setting
     */
    public Classifiers.Options options() {
      return new Classifiers.Options(signature, output, trustModel);
    }

    /** Checks the model without loading its runtime; see {@link Classifiers#inspect}. */
    public void inspect() {
      Classifiers.inspect(dir, options());
    }

    /**
     * Checks the model and, where that needs no runtime (SavedModels: their signature), that it
     * takes images of {@code spec} and scores its classes, before any data is read; ONNX models are
     * checked against {@code spec} when they are loaded.
     *
     * @param spec the images to be evaluated
     * @throws dev.fmnist.FmnistException ({@link dev.fmnist.ModelException} mostly) when the model
     *     is refused or does not fit
     */
    public void requireFits(dev.fmnist.data.DatasetSpec spec) {
      if (Classifiers.formatOf(dir) == dev.fmnist.savedmodel.ModelFormat.ONNX) {
        inspect();
      } else {
        SavedModelInspector.inspect(SavedModelInspector.locate(dir), signature, output, trustModel)
            .requireAccepts(spec, dir);
      }
    }

    /**
     * Checks and loads the model and says what images it takes ({@link Classifier#inputSpec()}): to
     * prepare image files for it.
     *
     * @return the model's input description
     */
    public DatasetSpec inputSpec() {
      try (Classifier model = Classifiers.load(dir, options())) {
        return model.inputSpec();
      }
    }
  }

  private Evaluator() {}

  /**
   * Evaluates the model in {@code modelDir} (its ops checked) on {@code images}.
   *
   * @param modelDir a SavedModel, its versions' parent, or an {@code .onnx} file
   * @param images the labelled images
   * @return the metrics, on the split called {@code test}
   * @throws dev.fmnist.ModelException when the model is refused or does not fit the images
   */
  public static Evaluation evaluate(Path modelDir, LabeledImages images) {
    return evaluate(Request.of(modelDir), images, "test");
  }

  /**
   * Evaluates the model on {@code images} (the split called {@code split}). Class names come from
   * the model's manifest when it lists one per class, else from the images' dataset.
   *
   * @param request the model and how to run it
   * @param images the labelled images
   * @param split the split's name for reports, e.g. {@code test}
   * @return the metrics
   * @throws dev.fmnist.ModelException when the model is refused or does not fit the images
   */
  public static Evaluation evaluate(Request request, LabeledImages images, String split) {
    try (Classifier model = Classifiers.load(request.dir(), request.options())) {
      Classifier.RawOutputs raw = model.predictAll(images, request.batchSize(), null);
      ModelInfo info = ModelInfo.of(request.dir().toString(), model);
      Predictions p;
      try {
        p = Predictions.of(model.classes(), images.labels(), raw.values(), null);
      } catch (IllegalArgumentException e) {
        throw new ModelException(request.dir() + ": " + e.getMessage());
      }
      return Evaluation.of(info, split, images.spec().name(), model.classNames(images.spec()), p, raw.timing());
    }
  }

  /**
   * Starts loading the native library of the runtime the model needs (TensorFlow's takes about 0.6
   * s here) on a daemon thread, so that it overlaps the model checks and the dataset read.
   *
   * @param model the model's path
   */
  public static void preloadInBackground(Path model) {
    Classifiers.preloadInBackground(model);
  }
}
