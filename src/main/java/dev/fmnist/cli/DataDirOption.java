package dev.fmnist.cli;

import dev.fmnist.config.DataSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.Datasets;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.TestSet;
import dev.fmnist.data.ImageSet;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.savedmodel.ModelManifest;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.savedmodel.SavedModelInspector;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option of commands that read a dataset (all but {@code data download},
 * whose {@code --data-dir} is where files go), and the lookup behind it.
 */
final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Dataset directory: the four Fashion-MNIST files (.gz or raw), or the directory of the dataset that the"
              + " recipe's data section or the model's manifest names, replacing the data.path recorded there"
              + " (default: that path). Fashion-MNIST's default: $FMNIST_DATA, then data/fashion-mnist/, then"
              + " /usr/share/datasets/fashion-mnist/.")
  Path dataDir;

  private final java.util.Map<Path, java.util.Optional<Recipe>> trained = new java.util.HashMap<>();

  /** The dataset {@code recipe} trains on, {@code --data-dir} replacing its path; progress goes to {@code out}. */
  Dataset open(Recipe recipe, PrintWriter out) {
    return Datasets.open(recipe, dataDir, LoadProgress.of(out));
  }

  /**
   * Checks the model of {@code request} before the test set of {@code trainedModel} is read: against
   * Fashion-MNIST's images where that is the test set ({@link #testIsFashionMnist}), else its ops and
   * signature only.
   */
  void checkBeforeReading(Evaluator.Request request, Path trainedModel) {
    if (testIsFashionMnist(trainedModel)) {
      request.requireFits(FashionMnist.SPEC);
    } else {
      request.inspect();
    }
  }

  /**
   * The dataset directory: the option, or the first complete directory of the lookup order. Its
   * dataset files are registered as read ({@link dev.fmnist.AtomicFiles#reading}): no output replaces them.
   */
  Path locate() {
    return DatasetLocator.locate(dataDir);
  }

  /**
   * Registers the test set {@link #testImagesFor} will read for {@code modelDir} as read, so that a
   * command refuses an output there before any work ({@link Datasets#registerReading}).
   */
  void registerReading(Path modelDir) {
    Recipe trained;
    try {
      trained = trainedOn(modelDir);
    } catch (dev.fmnist.FmnistException later) {
      return; // a missing model or a bad manifest is reported where the model is read, in its order
    }
    Datasets.registerReading(trained == null ? DataSpec.fashionMnist() : trained.dataOrDefault(), dataDir);
  }

  /** As {@link #registerReading(Path)}, for the dataset {@code recipe} trains on (Fashion-MNIST for null). */
  void registerReading(Recipe recipe) {
    Datasets.registerReading(recipe == null ? DataSpec.fashionMnist() : recipe.dataOrDefault(), dataDir);
  }

  /**
   * The test images a model is evaluated on, and what they are: those of the dataset its manifest's
   * recipe trained on when that recipe has a data section (read from the recorded path, or {@code
   * --data-dir}), else Fashion-MNIST's test set. Prints the {@code test set:} line on {@code out}.
   */
  TestSet testImagesFor(Path modelDir, PrintWriter out) {
    Recipe trained = trainedOn(modelDir);
    TestSet test = trained == null || trained.data() == null ? FashionMnist.readTest(locate())
        : Datasets.openTestSet(trained, dataDir, LoadProgress.of(out));
    out.println(test.line());
    out.flush();
    return test;
  }

  /** Whether {@link #testImagesFor} gives Fashion-MNIST's test set (the model names no dataset of its own). */
  boolean testIsFashionMnist(Path modelDir) {
    Recipe trained = trainedOn(modelDir);
    return trained == null || trained.data() == null;
  }

  /** The recipe in {@code modelDir}'s manifest, read once per model, when it has a data section; else null. */
  private Recipe trainedOn(Path modelDir) {
    return trained.computeIfAbsent(modelDir, d -> java.util.Optional.ofNullable(readTrainedOn(d))).orElse(null);
  }

  private static Recipe readTrainedOn(Path modelDir) {
    if (Classifiers.formatOf(modelDir) == ModelFormat.ONNX) {
      return null; // an ONNX model has no manifest
    }
    Path located = SavedModelInspector.locate(modelDir);
    ModelManifest m = ModelManifest.read(located).orElse(null);
    if (m == null || !m.json().path("config").path("data").isObject()) {
      return null;
    }
    return RecipeLoader.fromJson(m.json().path("config").toString(), located.resolve(ModelManifest.PATH) + ": config");
  }
}
