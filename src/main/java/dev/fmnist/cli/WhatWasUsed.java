package dev.fmnist.cli;

import dev.fmnist.FmnistException;
import dev.fmnist.TerminalText;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.savedmodel.SavedModelInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lines that say what a command used: the model version it picked, models named twice. */
final class WhatWasUsed {
  private WhatWasUsed() {}

  /**
   * Prints {@code model: savedmodels/mlp/2 (newest of 2 versions)} when {@code modelDir} is a model
   * directory of several versions; nothing otherwise.
   */
  static void version(Path modelDir, PrintWriter to) {
    if (Classifiers.formatOf(modelDir) == ModelFormat.ONNX) {
      return;
    }
    SavedModelInspector.versionChoice(modelDir).ifPresent(v -> {
      to.println("model: " + TerminalText.escape(v));
      to.flush();
    });
  }

  /**
   * Prints one {@code warning:} line for each model named again (by another path, a symbolic link
   * or a model directory whose newest version is another argument), so {@code compare A A} says so.
   */
  static void sameModels(List<Path> models, PrintWriter err) {
    Map<Path, Path> seen = new LinkedHashMap<>();
    for (Path m : models) {
      Path real;
      try {
        real = realModel(m);
      } catch (FmnistException e) {
        continue; // not a model: the checks that follow say so
      }
      Path first = seen.putIfAbsent(real, m);
      if (first != null) {
        err.println("warning: " + TerminalText.escape(first) + " and " + TerminalText.escape(m)
            + " are the same model (" + TerminalText.escape(real) + "); it is compared with itself");
      }
    }
    err.flush();
  }

  private static Path realModel(Path m) {
    Path located = Classifiers.formatOf(m) == ModelFormat.ONNX ? m : SavedModelInspector.locate(m);
    try {
      return located.toRealPath();
    } catch (IOException e) {
      return located.toAbsolutePath().normalize();
    }
  }
}
