package dev.fmnist;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in manifests and printed by {@code --version}. */
public final class Versions {
  private Versions() {}

  /**
   * The fmnist version, from the build.
   *
   * @return the version the build wrote into {@code version.properties} (e.g. {@code 0.1.0}), or
   *     {@code unknown} when that resource is missing or unreadable
   */
  public static String fmnist() {
    try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The TensorFlow native library version (loads the native library).
   *
   * @return TensorFlow's version string, e.g. {@code 2.18.0}
   */
  public static String tensorflow() {
    return dev.fmnist.model.TensorFlowRuntime.version();
  }

  /**
   * The Java runtime version.
   *
   * @return the {@code java.version} system property, e.g. {@code 17.0.13}
   */
  public static String java() {
    return System.getProperty("java.version");
  }
}
