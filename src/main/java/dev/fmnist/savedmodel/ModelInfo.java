package dev.fmnist.savedmodel;

import java.nio.file.Path;

/**
 * What is known about an evaluated model besides its predictions.
 *
 * @param name a short name: the manifest's name (else the directory's) with the version, e.g.
 *     {@code cnn/3}; for an ONNX model its file name without {@code .onnx}
 * @param directory the model as the user named it: a directory, or an {@code .onnx} file
 * @param location what was loaded: the SavedModel's version directory, or the {@code .onnx} file
 * @param format SavedModel or ONNX
 * @param signature the model's input and output in words ({@link Classifier#describe()})
 * @param manifest the fmnist manifest, or null for a foreign model
 * @param curves the training history, or null when the model has none
 */
public record ModelInfo(
    String name,
    String directory,
    Path location,
    ModelFormat format,
    String signature,
    ModelManifest manifest,
    LearningCurves curves) {

  /**
   * Describes a loaded model, with its manifest and history if it has them.
   *
   * @param userPath the path as the user gave it
   * @param model the loaded model
   * @return the description
   */
  public static ModelInfo of(String userPath, Classifier model) {
    Path loaded = model.location();
    ModelManifest m = model.manifest();
    if (model.format() == ModelFormat.ONNX) {
      return new ModelInfo(model.name(), userPath, loaded, model.format(), model.describe(),
          m, null);
    }
    String name = nameOf(loaded, m == null ? "" : m.name());
    return new ModelInfo(name, userPath, loaded, model.format(), model.describe(), m,
        LearningCurves.read(loaded).orElse(null));
  }

  /**
   * {@code savedmodels/cnn/3} gives {@code cnn/3} (the manifest's name replacing {@code cnn} when
   * given); a directory not named by a number gives its own name.
   */
  static String nameOf(Path dir, String manifestName) {
    Path abs = dir.toAbsolutePath().normalize();
    String last = abs.getFileName() == null ? "model" : abs.getFileName().toString();
    if (last.matches("\\d+") && abs.getParent() != null && abs.getParent().getFileName() != null) {
      String base = manifestName.isEmpty() ? abs.getParent().getFileName().toString() : manifestName;
      return base + "/" + last;
    }
    return manifestName.isEmpty() ? last : manifestName;
  }
}
