package dev.fmnist.cli;

import picocli.CommandLine.Option;

/** The {@code --trust-model} option of commands that load a SavedModel. */
final class TrustModelOption {
  @Option(
      names = "--trust-model",
      description =
          "Load the SavedModel without checking its ops first. A SavedModel is a program: by default"
              + " fmnist refuses one whose graph uses ops that classifying images does not need (reading"
              + " or writing files, running Python, loops). Pass this only for models you trust.")
  boolean trust;
}
