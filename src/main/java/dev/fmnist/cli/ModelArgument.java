package dev.fmnist.cli;

import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.savedmodel.Classifiers;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The {@code MODEL_DIR} parameter of commands that use one model, with {@code --trust-model}. */
final class ModelArgument {
  @Parameters(index = "0", paramLabel = "MODEL_DIR",
      description = "SavedModel directory, a model's directory of numbered versions (the highest"
          + " is used), or an ONNX model file (.onnx).")
  Path dir;

  @Mixin TrustModelOption trustModel;

  /** Whether {@code --trust-model} was given. */
  boolean trusted() {
    return trustModel.trust;
  }

  /**
   * Checks the model (its ops, unless trusted) before its runtime is loaded, then loads it with
   * {@code signature} (null: serving_default) and the class-score output chosen.
   */
  Classifier load(String signature) {
    Classifiers.Options options = new Classifiers.Options(signature, null, trusted());
    Classifiers.inspect(dir, options);
    return Classifiers.load(dir, options);
  }
}
