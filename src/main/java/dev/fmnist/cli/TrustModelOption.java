package dev.fmnist.cli;

import picocli.CommandLine.Option;

/** The {@code --trust-model} option of commands that load a model. */
final class TrustModelOption {
  @Option(
      names = "--trust-model",
      description =
          "Load the model without checking its ops first. A SavedModel is a program: by default"
              + " fmnist refuses one whose graph uses ops that classifying images does not need (reading"
              + " or writing files, running Python, loops), and an ONNX model with ops outside the"
              + " standard domains (ai.onnx, ai.onnx.ml, com.microsoft). Pass this only for models you"
              + " trust.")
  boolean trust;
}
