package dev.fmnist.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --out} option of commands that export SavedModels ({@code train}, {@code export}, {@code sweep}). */
final class ExportDirOption {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "savedmodels",
      description = "Where SavedModels go, as <out>/<name>/<version>/ (default: ${DEFAULT-VALUE}).")
  Path dir;
}
