package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.TestSet;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.savedmodel.Classifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code evaluate} and {@code compare} share, and the rules between these options: the images
 * they score models on (the test set of the dataset the (first) model was trained on, {@code
 * --data-dir} replacing its directory, or with {@code --images DIR} a folder of labelled image
 * files) and how they call each model ({@code --signature}, {@code --output}, {@code --batch-size}).
 */
final class ScoringOptions {
  @Mixin DataDirOption data;

  @Mixin ImagesOption images;

  @Mixin SignatureOption signature;

  @Option(names = "--output", paramLabel = "NAME",
      description = "Signature output holding the class scores, in each model (default: logits if present, else"
          + " the only [-1,K] output (K >= 2), else probabilities).")
  String output;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Classifier.DEFAULT_BATCH_SIZE,
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  /**
   * Refuses a {@code --batch-size} outside 1 to {@link Classifier#MAX_BATCH_SIZE}: the options are
   * checked before any model is read.
   *
   * @throws ConfigException naming the option
   */
  void requireBatchSize() {
    Evaluator.Request.checkBatchSize(batchSize);
  }

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

  /**
   * The request to run {@code model} with these options, the signature as given.
   *
   * @throws ConfigException when {@code --batch-size} is not 1 to {@link Classifier#MAX_BATCH_SIZE}
   */
  Evaluator.Request request(Path model, boolean trustModel) {
    requireBatchSize();
    return new Evaluator.Request(model, signature.key, output, batchSize, trustModel);
  }

  /** As {@link #request}, for one of several models: an ONNX model gets no signature ({@link SignatureOption#forEach}). */
  Evaluator.Request requestEach(Path model, boolean trustModel) {
    requireBatchSize();
    return new Evaluator.Request(model, signature.forEach(model), output, batchSize, trustModel);
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
