package dev.fmnist.cli;

import dev.fmnist.savedmodel.ModelFormat;
import java.nio.file.Path;

/** Default report locations. */
final class ReportDirs {
  private ReportDirs() {}

  /**
   * {@code savedmodels/cnn/3} gives {@code savedmodels/cnn/3-report}, {@code models/net.onnx}
   * gives {@code models/net-report}.
   */
  static Path besideModel(Path model) {
    Path p = model.normalize();
    if (p.getFileName() == null || p.toString().isEmpty() || p.endsWith("..")) {
      p = model.toAbsolutePath().normalize();
    }
    return p.resolveSibling(ModelFormat.baseName(p) + "-report");
  }
}
