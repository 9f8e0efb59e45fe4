package dev.fmnist.cli;

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
    String name = p.getFileName() == null ? "model" : p.getFileName().toString();
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") && name.length() > 5) {
      name = name.substring(0, name.length() - 5);
    }
    return p.resolveSibling(name + "-report");
  }
}
