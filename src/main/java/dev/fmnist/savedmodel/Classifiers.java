package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.onnx.OnnxClassifier;
import dev.fmnist.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the classifier a path names, whatever its format: a SavedModel directory or a model
 * directory of numbered versions ({@link ClassifierModel}), or an {@code .onnx} file ({@link
 * OnnxClassifier}).
 */
public final class Classifiers {
  /**
   * How to load a model.
   *
   * @param signature the SavedModel signature, or null for {@code serving_default}; an ONNX model
   *     has none, and naming one is refused
   * @param output the output holding the class scores, or null to choose ({@code logits} if
   *     present, else the only float {@code [-1,K]} output, else {@code probabilities})
   * @param trustModel load the model without checking its ops: the user vouches for it
   */
  public record Options(String signature, String output, boolean trustModel) {
    /** serving_default, the output chosen, the ops checked. */
    public static final Options DEFAULT = new Options(null, null, false);
  }

  private Classifiers() {}

  /**
   * What {@code path} holds: an existing regular file named {@code *.onnx} is ONNX, a directory a
   * SavedModel (or a model's directory of versions).
   *
   * @param path the model's path
   * @return the format
   * @throws ModelException when it is neither
   */
  public static ModelFormat formatOf(Path path) {
    if (Files.isDirectory(path)) {
      return ModelFormat.SAVED_MODEL;
    }
    boolean onnxName = ModelFormat.hasOnnxName(path);
    if (Files.isRegularFile(path) && onnxName) {
      return ModelFormat.ONNX;
    }
    String expected = " (expected a SavedModel directory, e.g. savedmodels/cnn/1, or an ONNX file,"
        + " e.g. model.onnx)";
    if (!Files.exists(path)) {
      throw new ModelException(path + ": no such " + (onnxName ? "file" : "directory") + expected);
    }
    throw new ModelException(path + ": " + (onnxName ? "not a regular file" : "not a directory or an"
        + " .onnx file") + expected);
  }

  /**
   * The model {@code path} names (the ONNX file, or the SavedModel directory it locates: itself or
   * its highest numbered version), registered with {@link dev.fmnist.AtomicFiles#reading} so that no
   * output of this process is written into it. Commands call it before checking their outputs.
   *
   * @param path a model path as the user gave it
   * @return the ONNX file or the SavedModel directory that will be read
   * @throws ModelException when there is no model there
   */
  public static Path reading(Path path) {
    Path located = formatOf(path) == ModelFormat.ONNX ? path : SavedModelInspector.locate(path);
    dev.fmnist.AtomicFiles.reading(located);
    return located;
  }

  /**
   * The name {@link Classifier#name} gives the model at {@code path}, without loading it: its
   * manifest's name, else the name of the ONNX file or SavedModel directory.
   *
   * @param path a model path as the user gave it
   * @return the model's name
   * @throws ModelException when there is no model there or its manifest is malformed
   */
  public static String nameOf(Path path) {
    Path located = formatOf(path) == ModelFormat.ONNX ? path : SavedModelInspector.locate(path);
    return name(formatOf(path) == ModelFormat.ONNX ? null : ModelManifest.read(located).orElse(null), located);
  }

  /** The manifest's name, else the name of {@code location} without {@code .onnx}: the rule of {@link Classifier#name}. */
  static String name(ModelManifest manifest, Path location) {
    if (manifest != null && !manifest.name().isEmpty()) {
      return manifest.name();
    }
    return ModelFormat.baseName(location.toAbsolutePath().normalize());
  }

  /**
   * Checks the model without loading a runtime: a SavedModel's signature and ops ({@link
   * SavedModelInspector}), an ONNX file's size, structure and op domains ({@link OnnxModelFile}).
   *
   * @param path a SavedModel directory (or a directory of versions) or an {@code .onnx} file
   * @param options the signature and output to use, and whether to trust the model's ops
   * @throws dev.fmnist.FmnistException naming what was expected and found
   */
  public static void inspect(Path path, Options options) {
    reading(path);
    if (formatOf(path) == ModelFormat.ONNX) {
      OnnxClassifier.inspect(path, options.signature(), options.trustModel());
    } else {
      SavedModelInspector.inspect(SavedModelInspector.locate(path), options.signature(),
          options.output(), options.trustModel());
    }
  }

  /**
   * Checks and loads the model {@code path} names.
   *
   * @param path a SavedModel directory (or a directory of versions) or an {@code .onnx} file
   * @param options the signature and output to use, and whether to trust the model's ops
   * @return the loaded model; the caller closes it
   * @throws dev.fmnist.FmnistException ({@link ModelException} mostly) when it is refused or its runtime cannot load it
   */
  public static Classifier load(Path path, Options options) {
    reading(path);
    if (formatOf(path) == ModelFormat.ONNX) {
      return OnnxClassifier.load(path, options.signature(), options.output(), options.trustModel());
    }
    return ClassifierModel.load(path, options.signature(), options.output(), options.trustModel());
  }

  /**
   * Starts loading the native library of the runtime {@code path} needs on a daemon thread, so that
   * it overlaps the model checks and the dataset read. Failures are left for the real load to
   * report.
   *
   * @param path the model's path
   */
  public static void preloadInBackground(Path path) {
    Runnable load;
    try {
      load = formatOf(path) == ModelFormat.ONNX ? OnnxClassifier::preloadRuntime
          : org.tensorflow.TensorFlow::version;
    } catch (ModelException e) {
      return; // the load reports it
    }
    Thread t = new Thread(() -> {
      try {
        load.run();
      } catch (RuntimeException | LinkageError ignored) {
        // the model load reports it
      }
    }, "runtime-preload");
    t.setDaemon(true);
    t.start();
  }
}
