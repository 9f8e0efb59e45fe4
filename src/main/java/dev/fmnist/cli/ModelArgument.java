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
   * Loads the model with {@code signature} (null: serving_default) and the class-score output chosen;
   * {@link Classifiers#load} checks it (its ops, unless trusted) before its runtime is loaded.
   */
  Classifier load(String signature) {
    return Classifiers.load(dir, new Classifiers.Options(signature, null, trusted()));
  }
}
