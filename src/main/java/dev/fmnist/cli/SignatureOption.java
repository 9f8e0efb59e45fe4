package dev.fmnist.cli;

import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ModelFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --signature} option of commands that run a SavedModel's signature. */
final class SignatureOption {
  @Option(names = "--signature", paramLabel = "KEY",
      description = "Signature to use in each SavedModel (default: serving_default; ONNX models have none).")
  String key;

  /**
   * The key for {@code model} where one option serves several models: none for an ONNX model (that
   * would refuse one), the option for a SavedModel.
   */
  String forEach(Path model) {
    return Classifiers.formatOf(model) == ModelFormat.ONNX ? null : key;
  }
}
