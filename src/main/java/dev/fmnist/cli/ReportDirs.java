package dev.fmnist.cli;

import java.nio.file.Path;

/** Default report locations. */
final class ReportDirs {
  private ReportDirs() {}

  /** {@code savedmodels/cnn/3} gives {@code savedmodels/cnn/3-report}. */
  static Path besideModel(Path savedModelDir) {
    Path p = savedModelDir.normalize();
    if (p.getFileName() == null || p.toString().isEmpty() || p.endsWith("..")) {
      p = savedModelDir.toAbsolutePath().normalize();
    }
    String name = p.getFileName() == null ? "model" : p.getFileName().toString();
    return p.resolveSibling(name + "-report");
  }
}
