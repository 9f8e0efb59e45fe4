package dev.fmnist.cli;

import dev.fmnist.config.DataSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.Datasets;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.ImageSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which dataset a {@code data} command that works on any dataset reads ({@code data images}, {@code
 * data samples}): Fashion-MNIST, or with {@code --config} the one a recipe's {@code data:} section
 * names; {@code --data-dir} replaces its directory.
 */
final class DatasetChoice {
  @Mixin DataDirOption data;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A recipe whose data section names the dataset (default: Fashion-MNIST; --data-dir then"
          + " replaces the recipe's data.path).")
  Path config;

  private Recipe recipe;

  /** The recipe {@code --config} names, read once; null without {@code --config}. */
  Recipe recipe() {
    if (recipe == null && config != null) {
      recipe = RecipeLoader.load(config);
    }
    return recipe;
  }

  /** Before any output is checked: the dataset's files are registered as read (no output goes there). */
  void registerReading() {
    data.registerReading(recipe());
  }

  /** The training and test images; progress goes to {@code out}. */
  Dataset open(PrintWriter out) {
    return open(out, spec -> {});
  }

  /**
   * As {@link #open(PrintWriter)}, with {@code check} shown what the images are (it may throw to
   * refuse them): before anything is read for Fashion-MNIST (with or without {@code --config}) and
   * a folder dataset, once the files are read for an {@code idx} dataset (only they tell its image size).
   */
  Dataset open(PrintWriter out, Consumer<DatasetSpec> check) {
    DataSpec which = config == null ? DataSpec.fashionMnist() : recipe().dataOrDefault();
    Dataset d = Datasets.open(which, data.dataDir, LoadProgress.of(out).checking(check));
    check.accept(d.spec()); // again, for the readers that know it only from the files
    return d;
  }

  /** Only the test images, without reading the training images where they are not needed. */
  ImageSet openTest(PrintWriter out) {
    return config == null ? FashionMnist.loadTest(data.locate())
        : Datasets.openTest(recipe(), data.dataDir, LoadProgress.of(out));
  }

  /** The dataset's name for titles: {@code Fashion-MNIST}, else the name its images carry (their directory's). */
  static String title(Dataset dataset) {
    return dataset instanceof FashionMnist ? "Fashion-MNIST" : dataset.spec().name();
  }
}
