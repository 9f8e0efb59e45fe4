package dev.fmnist.cli;

import dev.fmnist.data.DatasetLocator;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option of commands that read the dataset, and the lookup behind it. */
final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Directory with the four Fashion-MNIST files (.gz or raw). Default: $FMNIST_DATA, then"
              + " data/fashion-mnist/, then /usr/share/datasets/fashion-mnist/.")
  Path dataDir;

  /** The dataset directory: the option, or the first complete directory of the lookup order. */
  Path locate() {
    return DatasetLocator.locate(dataDir);
  }
}
