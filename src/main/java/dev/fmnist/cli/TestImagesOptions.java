package dev.fmnist.cli;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.TestSet;
import dev.fmnist.eval.Evaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * What {@code evaluate} and {@code compare} score models on, and the rules between their options:
 * the test set of the dataset the (first) model was trained on, {@code --data-dir} replacing its
 * directory, or with {@code --images DIR} a folder of labelled image files.
 */
final class TestImagesOptions {
  @Mixin DataDirOption data;

  @Mixin ImagesOption images;

  /**
   * Before any work: refuses {@code --images} with {@code --data-dir}, and registers what will be
   * read so that no output is written there ({@link dev.fmnist.AtomicFiles#reading}).
   *
   * @param trainedModel the model whose dataset's test set is read without {@code --images}
   */
  void checkAndRegister(Path trainedModel) {
    images.refuseWith(data);
    if (images.given()) {
      images.registerReading();
    } else {
      data.registerReading(trainedModel);
    }
  }

  /** Checks a model against the test set before it is read ({@link DataDirOption#checkBeforeReading}); a folder is read per model. */
  void checkBeforeReading(Evaluator.Request request, Path trainedModel) {
    if (!images.given()) {
      data.checkBeforeReading(request, trainedModel);
    }
  }

  /** The images to score a model that takes {@code input} images on, printing the {@code test set:} line. */
  TestSet read(Path trainedModel, DatasetSpec input, PrintWriter out) {
    return images.given() ? images.read(input, out) : data.testImagesFor(trainedModel, out);
  }

  /** Whether {@code --images} names a folder: it is then read for each model's input size. */
  boolean folder() {
    return images.given();
  }

  /** The split name evaluations carry: {@code images} for a folder, else {@code test}. */
  String split() {
    return images.split();
  }
}
