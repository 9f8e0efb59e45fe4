package dev.fmnist.cli;

import dev.fmnist.data.DatasetFile;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.IdxKind;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.PixelStatistics;
import dev.fmnist.report.PixelHistogramChart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fmnist data info}: what the dataset directory holds, checked and summarised. */
@Command(
    name = "info",
    description =
        "Show the dataset directory, each file's shape and SHA-256 (of the decompressed bytes),"
            + " images per class, and pixel statistics of the training set.")
final class DataInfoCommand extends FmnistSubcommand {
  private static final String FILE_ROW = "%-28s  %-15s  %-64s  %s%n";
  private static final String CLASS_ROW = "%5s  %-12s  %6s  %6s%n";
  @Mixin DataDirOption data;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = data.locate();
    FashionMnist dataset = FashionMnist.load(dir);
    out.println("Fashion-MNIST in " + dir);
    out.println();
    out.printf(
        Locale.ROOT,
        FILE_ROW,
        "file",
        "shape",
        "SHA-256 of the decompressed bytes",
        "check");
    for (DatasetFile file : DatasetFile.values()) {
      ImageSet set = file.fileName().startsWith("train") ? dataset.train() : dataset.test();
      String shape =
          file.kind() == IdxKind.IMAGES
              ? set.size() + " x " + set.spec().height() + " x " + set.spec().width()
              : String.valueOf(set.size());
      String sha = dataset.sha256().get(file.fileName());
      out.printf(
          Locale.ROOT,
          FILE_ROW,
          FashionMnist.file(dir, file.fileName()).getFileName(),
          shape,
          sha,
          sha.equals(file.sha256()) ? "OK" : "MISMATCH");
    }
    out.println();
    int[] train = dataset.train().classCounts();
    int[] test = dataset.test().classCounts();
    out.printf(Locale.ROOT, CLASS_ROW, "label", "class", "train", "test");
    for (int c = 0; c < dataset.spec().classes(); c++) {
      out.printf(Locale.ROOT, CLASS_ROW, c, dataset.spec().classNames().get(c), train[c], test[c]);
    }
    out.printf(
        Locale.ROOT, CLASS_ROW, "", "total", dataset.train().size(), dataset.test().size());
    out.println();
    PixelStatistics stats = PixelStatistics.of(dataset.train());
    out.printf(
        Locale.ROOT,
        "training pixels (0-255): mean %.2f, standard deviation %.2f, median %s%n",
        stats.mean(),
        stats.standardDeviation(),
        PixelHistogramChart.formatMedian(stats.median()));
    out.flush();
    return 0;
  }
}
