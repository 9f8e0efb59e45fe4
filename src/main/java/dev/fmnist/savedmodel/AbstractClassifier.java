package dev.fmnist.savedmodel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The part every loaded {@link Classifier} has alike: what kind of model it is, where it was loaded
 * from, what it takes and gives, and its fmnist manifest. A runtime's classifier ({@link
 * ClassifierModel}, {@link dev.fmnist.onnx.OnnxClassifier}) extends it and adds {@link #runBatch} and
 * {@link #close}.
 */
public abstract class AbstractClassifier implements Classifier {
  private final ModelFormat format;
  private final Path location;
  private final ClassifierIo io;
  private final ModelManifest manifest;

  /**
   * Holds what the loader found.
   *
   * @param format the kind of model
   * @param location the SavedModel version directory or the {@code .onnx} file
   * @param io the model's input and output
   * @param manifest the fmnist manifest, or null when the model has none
   */
  protected AbstractClassifier(ModelFormat format, Path location, ClassifierIo io, ModelManifest manifest) {
    this.format = Objects.requireNonNull(format, "format");
    this.location = Objects.requireNonNull(location, "location");
    this.io = Objects.requireNonNull(io, "io");
    this.manifest = manifest;
  }

  @Override
  public final ModelFormat format() {
    return format;
  }

  @Override
  public final Path location() {
    return location;
  }

  @Override
  public final ClassifierIo io() {
    return io;
  }

  @Override
  public final ModelManifest manifest() {
    return manifest;
  }
}
