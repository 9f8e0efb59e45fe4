package dev.fmnist.model;

import org.tensorflow.TensorFlow;

/** Facts about the loaded TensorFlow native library. */
public final class TensorFlowRuntime {
  private TensorFlowRuntime() {}

  /**
   * The TensorFlow version of the native library, e.g. {@code 2.18.0}.
   *
   * @return the version string
   */
  public static String version() {
    return TensorFlow.version();
  }
}
