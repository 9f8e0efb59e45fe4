package dev.fmnist.savedmodel;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats of the classifiers fmnist evaluates. */
public enum ModelFormat {
  /** A TensorFlow SavedModel directory, run by TensorFlow Java. */
  SAVED_MODEL("savedmodel"),
  /** An ONNX model file ({@code .onnx}), run by ONNX Runtime. */
  ONNX("onnx");

  private final String label;

  ModelFormat(String label) {
    this.label = label;
  }

  /**
   * {@code savedmodel} or {@code onnx}, as reports and {@code evaluation.json} write it.
   *
   * @return the label
   */
  public String label() {
    return label;
  }

  /** The file name ending of ONNX models. */
  public static final String ONNX_EXTENSION = ".onnx";

  /**
   * Whether {@code path} is named like an ONNX model, {@code *.onnx} (any case).
   *
   * @param path a path
   * @return true when its name ends in {@code .onnx}
   */
  public static boolean hasOnnxName(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().length() > ONNX_EXTENSION.length()
        && name.toString().toLowerCase(Locale.ROOT).endsWith(ONNX_EXTENSION);
  }

  /**
   * {@code path}'s file name, without {@code .onnx}: {@code models/net.onnx} gives {@code net}.
   *
   * @param path a path
   * @return the base name
   */
  public static String baseName(Path path) {
    String name = path.getFileName() == null ? "model" : path.getFileName().toString();
    return hasOnnxName(path) ? name.substring(0, name.length() - ONNX_EXTENSION.length()) : name;
  }

  /**
   * The name users know it by: {@code SavedModel} or {@code ONNX}.
   *
   * @return the display name
   */
  public String displayName() {
    return this == SAVED_MODEL ? "SavedModel" : name().toUpperCase(Locale.ROOT);
  }
}
