package dev.fmnist.cli;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.ImageFolder;
import dev.fmnist.data.ImageSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
   * The folder's images prepared for a model that takes {@code input} images, named after the
   * folder. A model that does not name its classes but has Fashion-MNIST's input and ten classes
   * (a foreign model) reads folders named by Fashion-MNIST's class names, as evaluate's reports name them.
   */
  ImageSet read(DatasetSpec input, PrintWriter out) {
    List<String> names = input.classNames();
    if (FashionMnist.SPEC.sameImages(input) && input.classes() == FashionMnist.SPEC.classes() && unnamed(names)) {
      names = FashionMnist.CLASS_NAMES;
    }
    DatasetSpec named = new DatasetSpec(dir.toString(), input.height(), input.width(), input.channels(), names);
    return ImageFolder.readLabelled(dir, named, LoadProgress.of(out)).images();
  }

  /** Whether the names are the placeholders {@code class 0}, {@code class 1}, ... of a model without names. */
  private static boolean unnamed(List<String> names) {
    for (int c = 0; c < names.size(); c++) {
      if (!names.get(c).equals("class " + c)) {
        return false;
      }
    }
    return true;
  }
}
