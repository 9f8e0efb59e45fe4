package dev.fmnist.eval;

import dev.fmnist.ModelException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.savedmodel.ModelInfo;
import dev.fmnist.savedmodel.ModelManifest;
import dev.fmnist.savedmodel.ModelSignature;
import dev.fmnist.savedmodel.SavedModelInspector;
import java.nio.file.Path;

/** Loads a model, predicts a labelled image set in batches and computes every metric. */
public final class Evaluator {
  /**
   * Which model and how to run it.
   *
   * @param dir the model directory as the user named it (a SavedModel or its versions' parent)
   * @param signature the signature key, or null for {@code serving_default}
   * @param output the class-score output, or null to choose
   * @param batchSize images per {@code Session.run}
   * @param trustModel load the model without checking its ops against {@link dev.fmnist.savedmodel.OpAllowlist}
   */
  public record Request(Path dir, String signature, String output, int batchSize, boolean trustModel) {
    public Request {
      if (batchSize < 1) {
        throw new ConfigException("batch size: must be 1 or more, found " + batchSize);
      }
    }

    /** A request for the model in {@code dir} with its defaults (serving_default, checked ops). */
    public static Request of(Path dir) {
      return new Request(dir, null, null, ClassifierModel.DEFAULT_BATCH_SIZE, false);
    }

    /** A request for a model whose ops are checked. */
    public Request(Path dir, String signature, String output, int batchSize) {
      this(dir, signature, output, batchSize, false);
    }

    /** Checks the model without loading TensorFlow; see {@link SavedModelInspector}. */
    public ModelSignature inspect() {
      return SavedModelInspector.inspect(SavedModelInspector.locate(dir), signature, output, trustModel);
    }

    /**
     * Checks the model and says what images it takes ({@link ClassifierModel#inputSpec()}),
     * without loading TensorFlow: to prepare image files for it before it loads.
     */
    public DatasetSpec inputSpec() {
      Path located = SavedModelInspector.locate(dir);
      return ClassifierModel.inputSpec(located, inspect(), ModelManifest.read(located).orElse(null));
    }
  }

  private Evaluator() {}

  /**
   * Evaluates the model in {@code modelDir} (checked against the op allowlist) on {@code images}.
   *
   * @throws dev.fmnist.ModelException when the model is refused or does not fit the images
   */
  public static Evaluation evaluate(Path modelDir, LabeledImages images) {
    return evaluate(Request.of(modelDir), images, "test");
  }

  /**
   * Evaluates the model on {@code images} (the split called {@code split}). Class names come from
   * the model's manifest when it lists one per class, else from the images' dataset.
   *
   * @throws dev.fmnist.ModelException when the model is refused or does not fit the images
   */
  public static Evaluation evaluate(Request request, LabeledImages images, String split) {
    try (ClassifierModel model =
        ClassifierModel.load(request.dir(), request.signature(), request.output(), request.trustModel())) {
      ClassifierModel.RawOutputs raw = model.predictAll(images, request.batchSize(), null);
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
   * Starts loading TensorFlow's native library on a daemon thread (about 0.6 s here), so that it
   * overlaps the SavedModel checks and the dataset read. Failures are left for the real load to
   * report.
   */
  public static void preloadInBackground() {
    Thread t = new Thread(() -> {
      try {
        org.tensorflow.TensorFlow.version();
      } catch (RuntimeException | LinkageError ignored) {
        // the model load reports it
      }
    }, "tensorflow-preload");
    t.setDaemon(true);
    t.start();
  }
}
