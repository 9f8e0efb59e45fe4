package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.TerminalText;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.ImageFolder;
import dev.fmnist.data.ImageSet;
import dev.fmnist.report.ImageFolderWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fmnist data images}: the dataset as a folder tree of PNG files. */
@Command(
    name = "images",
    description = {
      "Write the dataset as PNG files, one folder per class: <out>/train/<class>/00000.png ... and"
          + " <out>/test/<class>/..., each file named by the image's index in its set. Class folders are"
          + " the class names with '/' written as '_' (T-shirt_top). 'fmnist train' reads the tree"
          + " with a recipe's data section (format: folder), 'fmnist evaluate --images <out>/test'"
          + " evaluates a model on it; both give back the same pixels.",
      "Example: fmnist data images --out fm-images --split test"
    })
final class DataImagesCommand extends FmnistSubcommand {
  /** Which parts to write. */
  enum Part {
    TRAIN,
    TEST,
    BOTH
  }

  @Mixin DatasetChoice dataset;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Where the train/ and test/ folders go; they must not exist yet.")
  Path out;

  @Option(names = "--split", paramLabel = "train|test|both", defaultValue = "both",
      description = "Which part to write (default: ${DEFAULT-VALUE}).")
  Part split;

  @Override
  public Integer call() {
    PrintWriter printer = spec.commandLine().getOut();
    List<String> parts = new ArrayList<>();
    if (split != Part.TEST) {
      parts.add(ImageFolder.TRAIN);
    }
    if (split != Part.TRAIN) {
      parts.add(ImageFolder.TEST);
    }
    for (String p : parts) {
      if (Files.exists(out.resolve(p))) {
        throw new ConfigException("--out: " + out.resolve(p) + " exists already; remove it or choose another --out");
      }
    }
    dataset.registerReading(); // no output inside the dataset
    AtomicFiles.requireWritableDirectory(out); // before any work
    Dataset both = split == Part.TEST ? null : dataset.open(printer);
    ImageSet testOnly = split == Part.TEST ? dataset.openTest(printer) : null;
    for (String p : parts) {
      ImageSet set = testOnly != null ? testOnly : p.equals(ImageFolder.TRAIN) ? both.train() : both.test();
      Path dir = out.resolve(p);
      int n = ImageFolderWriter.write(set, dir);
      printer.printf(Locale.ROOT, "wrote %s of %s to %s/ (%s)%n", TerminalText.plural(n, "image"),
          set.spec().describeShape(), dir, TerminalText.plural(set.spec().classes(), "class folder"));
      printer.flush();
    }
    return 0;
  }
}
