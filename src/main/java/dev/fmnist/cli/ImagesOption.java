package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageFolder;
import dev.fmnist.data.TestSet;
import dev.fmnist.TerminalText;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --images DIR} option of {@code evaluate} and {@code compare}: labelled image files instead of the test set. */
final class ImagesOption {
  /** The split name evaluations of such a folder carry. */
  static final String SPLIT = "images";

  @Option(names = "--images", paramLabel = "DIR",
      description = "Evaluate on labelled image files instead of the test set: DIR/<class>/*.png|jpg|jpeg, each folder"
          + " named by a class name of the model ('/' written as '_', any case) or a label number. Each image is"
          + " resized to the model's input size and converted to its channels.")
  Path dir;

  boolean given() {
    return dir != null;
  }

  /**
   * Refuses {@code --images} together with {@code --data-dir}: the one names the images, the other
   * the test set.
   *
   * @throws ConfigException when both are given
   */
  void refuseWith(DataDirOption data) {
    if (given() && data.dataDir != null) {
      throw new ConfigException("--images and --data-dir: give one of them");
    }
  }

  /** The split name of the evaluated images: {@link #SPLIT} for the folder, else {@code test}. */
  String split() {
    return given() ? SPLIT : "test";
  }

  /**
   * Registers the folder as read ({@link dev.fmnist.AtomicFiles#reading}), so that no output is
   * written inside it; a command calls this before it checks its outputs.
   */
  void registerReading() {
    if (given()) {
      dev.fmnist.AtomicFiles.reading(dir);
    }
  }

  /** The folder's images prepared for a model that takes {@code input} images, named after the folder. */
  TestSet read(DatasetSpec input, PrintWriter out) {
    DatasetSpec named = new DatasetSpec(dir.toString(), input.height(), input.width(), input.channels(),
        input.classNames());
    ImageFolder.Images read = ImageFolder.readLabelled(dir, named, LoadProgress.of(out));
    TestSet test = new TestSet(read.images(), dir + "/ (" + TerminalText.plural(read.files().size(), "image file")
        + ")", false, "a labelled image folder, not the official Fashion-MNIST test set");
    out.println(test.line());
    out.flush();
    return test;
  }
}
