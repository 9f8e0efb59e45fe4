package dev.fmnist.savedmodel;

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

  /** {@code savedmodel} or {@code onnx}, as reports and {@code evaluation.json} write it. */
  public String label() {
    return label;
  }

  /** The name users know it by: {@code SavedModel} or {@code ONNX}. */
  public String displayName() {
    return this == SAVED_MODEL ? "SavedModel" : name().toUpperCase(Locale.ROOT);
  }
}
