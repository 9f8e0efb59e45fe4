package dev.fmnist.savedmodel;

import java.nio.file.Path;

/**
 * What is known about an evaluated model besides its predictions.
 *
 * @param name a short name: the manifest's name (else the directory's) with the version, e.g.
 *     {@code cnn/3}
 * @param directory the model directory as the user named it
 * @param loadedDirectory the SavedModel directory actually loaded (a version directory)
 * @param signature the checked signature
 * @param manifest the fmnist manifest, or null for a foreign model
 * @param curves the training history, or null when the model has none
 */
public record ModelInfo(
    String name,
    String directory,
    Path loadedDirectory,
    ModelSignature signature,
    ModelManifest manifest,
    LearningCurves curves) {

  /** Describes a loaded model, reading its manifest and history if present. */
  public static ModelInfo of(String userDir, ClassifierModel model) {
    Path dir = model.directory();
    ModelManifest m = ModelManifest.read(dir).orElse(null);
    String name = nameOf(dir, m == null ? "" : m.name());
    return new ModelInfo(
        name, userDir, dir, model.signature(), m, LearningCurves.read(dir).orElse(null));
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
