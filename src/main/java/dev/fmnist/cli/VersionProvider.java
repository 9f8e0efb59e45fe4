package dev.fmnist.cli;

import dev.fmnist.Versions;
import picocli.CommandLine.IVersionProvider;

/** {@code fmnist --version}: the fmnist, TensorFlow and Java versions. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "fmnist " + Versions.fmnist(),
      "TensorFlow " + Versions.tensorflow(),
      "Java " + Versions.java() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
