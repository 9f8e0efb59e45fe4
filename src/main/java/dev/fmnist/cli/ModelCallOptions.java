package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.savedmodel.Classifier;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How {@code evaluate} and {@code compare} run a model over an image set: {@code --signature},
 * {@code --output} and {@code --batch-size}.
 */
final class ModelCallOptions {
  @Mixin SignatureOption signature;

  @Option(names = "--output", paramLabel = "NAME",
      description = "Signature output holding the class scores, in each model (default: logits if present, else"
          + " the only [-1,10] output, else probabilities).")
  String output;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Classifier.DEFAULT_BATCH_SIZE,
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize;

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

  /** Refuses a {@code --batch-size} outside 1 to {@link Classifier#MAX_BATCH_SIZE} (ConfigException naming the option). */
  void requireBatchSize() {
    Evaluator.Request.checkBatchSize(batchSize);
  }
}
