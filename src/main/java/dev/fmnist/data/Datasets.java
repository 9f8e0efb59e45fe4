package dev.fmnist.data;

import dev.fmnist.TerminalText;
import dev.fmnist.config.DataSpec;
import dev.fmnist.config.Recipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Opens the dataset a recipe's {@code data:} section names: Fashion-MNIST, an IDX dataset or an image folder. */
public final class Datasets {
  private Datasets() {}

  /**
   * The dataset {@code recipe} trains on.
   *
   * @param directory a directory that replaces the recipe's {@code data.path} (e.g. {@code
   *     --data-dir}), or null; for Fashion-MNIST without a path, null means the usual lookup
   * @param recipe its {@code data:} section says what to read (none: Fashion-MNIST)
   * @param listener told of the progress of reading image files
   * @return the training and test images with their provenance
   * @throws DatasetException naming the file or folder that is missing or wrong
   */
  public static Dataset open(Recipe recipe, Path directory, LoadListener listener) {
    return open(recipe.dataOrDefault(), directory, listener);
  }

  /**
   * The dataset {@code data} describes; see {@link #open(Recipe, Path, LoadListener)}.
   *
   * @param data the recipe's data section
   * @param directory replaces {@code data.path}, or null
   * @param listener told of the progress of reading image files
   * @return the training and test images with their provenance
   * @throws DatasetException naming the file or folder that is missing or wrong
   */
  public static Dataset open(DataSpec data, Path directory, LoadListener listener) {
    Path dir = directory != null ? directory : data.directory();
    registerReading(data, directory);
    return switch (data.format()) {
      case FASHION_MNIST -> {
        listener.described(FashionMnist.SPEC);
        yield FashionMnist.load(DatasetLocator.locate(dir));
      }
      case IDX -> IdxDataset.load(dir, data.classes(), data.height(), data.width(), data.channels());
      case FOLDER -> ImageFolder.load(dir, data.height(), data.width(), data.channels(), data.skipBadFiles(),
          data.testSplit(), data.splitSeed(), listener);
    };
  }

  /**
   * Only the test images of the dataset {@code recipe} trains on, read as {@link #open} reads them
   * but without the training images where they are not needed (Fashion-MNIST's two test files, an
   * image folder's {@code test/}), for evaluation.
   *
   * @param recipe its {@code data:} section says what to read
   * @param directory replaces {@code data.path}, or null
   * @param listener told of the progress of reading image files
   * @return the test images
   * @throws DatasetException naming the file or folder that is missing or wrong
   */
  public static ImageSet openTest(Recipe recipe, Path directory, LoadListener listener) {
    return openTestSet(recipe, directory, listener).images();
  }

  /**
   * As {@link #openTest}, with the files read and whether they are Fashion-MNIST's official test
   * set ({@link TestSet}).
   *
   * @param recipe the recipe whose dataset is read
   * @param directory a directory that replaces the recipe's {@code data.path}, or null
   * @param listener told about reading image folders
   * @return the test images and what they are
   */
  public static TestSet openTestSet(Recipe recipe, Path directory, LoadListener listener) {
    DataSpec data = recipe.dataOrDefault();
    Path dir = directory != null ? directory : data.directory();
    registerReading(data, directory);
    return switch (data.format()) {
      case FASHION_MNIST -> FashionMnist.readTest(DatasetLocator.locate(dir));
      case IDX -> {
        Dataset d = open(data, directory, listener);
        List<String> differ = FashionMnist.testFilesDiffering(d.provenance().sha256());
        String files = DatasetFile.TEST_IMAGES.find(dir).orElseThrow() + ", "
            + DatasetFile.TEST_LABELS.find(dir).orElseThrow().getFileName();
        yield new TestSet(d.test(), files, differ.isEmpty(), differ.isEmpty() ? TestSet.OFFICIAL
            : "the idx dataset " + d.spec().name() + ", not the official Fashion-MNIST test set");
      }
      case FOLDER -> {
        ImageSet test = ImageFolder.loadTest(dir, data.height(), data.width(), data.channels(), data.skipBadFiles(),
            data.testSplit(), data.splitSeed(), listener);
        boolean own = java.nio.file.Files.isDirectory(dir.resolve(ImageFolder.TEST));
        yield new TestSet(test, dir.resolve(own ? ImageFolder.TEST : ImageFolder.TRAIN) + "/", false,
            (own ? "" : "held out of " + ImageFolder.TRAIN + "/: ") + "an image folder dataset, not the official"
                + " Fashion-MNIST test set");
      }
    };
  }

  /**
   * Registers what the dataset {@code data} describes is read from ({@link
   * dev.fmnist.AtomicFiles#reading}), so that no output of this process is written there: the four
   * IDX files of Fashion-MNIST or an idx dataset (and its {@code classes.txt}), an image-folder
   * dataset's {@code train/} and {@code test/} (outputs beside them, such as {@code runs/}, stay
   * allowed). Commands call it before they check their outputs; the readers call it too. A
   * Fashion-MNIST that cannot be found is left for the reader to report.
   *
   * @param data the recipe's data section
   * @param directory replaces {@code data.path}, or null
   */
  public static void registerReading(DataSpec data, Path directory) {
    Path dir = directory != null ? directory : data.directory();
    switch (data.format()) {
      case FASHION_MNIST -> {
        try {
          DatasetLocator.locate(dir);
        } catch (DatasetException notThere) {
          // reported by the reader, in its place among the checks
        }
      }
      case IDX -> {
        for (DatasetFile f : DatasetFile.values()) {
          f.find(dir).ifPresent(dev.fmnist.AtomicFiles::reading);
        }
        dev.fmnist.AtomicFiles.reading(dir.resolve(IdxDataset.CLASSES_FILE));
      }
      case FOLDER -> {
        dev.fmnist.AtomicFiles.reading(dir.resolve(ImageFolder.TRAIN));
        dev.fmnist.AtomicFiles.reading(dir.resolve(ImageFolder.TEST));
      }
    }
  }

  /** The most skipped files {@link #summary} lists one by one. */
  static final int SKIPPED_LISTED = 20;

  /**
   * Lines for a run's log about a dataset read from files: its format, directory and size, how
   * its test set was made, and the files skipped. Empty for Fashion-MNIST, whose log stays as it was.
   *
   * @param d the dataset
   * @return the lines, without line breaks; empty for Fashion-MNIST
   */
  public static List<String> summary(Dataset d) {
    Dataset.Provenance p = d.provenance();
    List<String> lines = new ArrayList<>();
    if (p.format().equals("fashion-mnist")) {
      return lines;
    }
    DatasetSpec s = d.spec();
    List<String> names = s.classNames();
    String shown = TerminalText.escape(String.join(", ", names.subList(0, Math.min(names.size(), 10)))
        + (names.size() > 10 ? ", ..." : ""));
    lines.add(String.format(Locale.ROOT, "dataset: %s %s: %,d files, %s images, %d classes (%s); %,d training / %,d"
        + " test images", p.format(), TerminalText.escape(p.source()), p.files(), s.describeShape(), s.classes(), shown, d.train().size(),
        d.test().size()));
    lines.add("content SHA-256: " + String.join(", ", new java.util.TreeMap<>(p.sha256()).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList()));
    if (p.testSplit() != null) {
      lines.add(String.format(Locale.ROOT, "test set: %s of each class of %s/ held out (no %s/ folder), split seed %d",
          percent(p.testSplit().fraction()), ImageFolder.TRAIN, ImageFolder.TEST, p.testSplit().seed()));
    }
    if (!p.skipped().isEmpty()) {
      lines.add(String.format(Locale.ROOT, "skipped %,d bad file%s (data.skip_bad_files):", p.skipped().size(),
          p.skipped().size() == 1 ? "" : "s"));
      p.skipped().stream().limit(SKIPPED_LISTED).forEach(f -> lines.add("  " + TerminalText.escape(f)));
      if (p.skipped().size() > SKIPPED_LISTED) {
        lines.add(String.format(Locale.ROOT, "  ... and %,d more (the manifest lists them)",
            p.skipped().size() - SKIPPED_LISTED));
      }
    }
    return lines;
  }

  private static String percent(double fraction) {
    double pct = 100 * fraction;
    return (pct == Math.rint(pct) ? String.format(Locale.ROOT, "%.0f", pct) : String.format(Locale.ROOT, "%s", pct))
        + "%";
  }
}
