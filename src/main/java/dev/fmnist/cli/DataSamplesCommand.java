package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.PixelStatistics;
import dev.fmnist.report.PixelHistogramChart;
import dev.fmnist.report.PngFiles;
import dev.fmnist.report.SampleGrid;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fmnist data samples}: pictures of the training set. */
@Command(
    name = "samples",
    description =
        "Write samples.png (the first images of each class of the training set, one row per class, in"
            + " colour for RGB images) and pixel-histogram.png (pixel values, or the channel values of RGB"
            + " images, log scale) into the output directory: of Fashion-MNIST or, with --config, of the"
            + " dataset a recipe's data section names.")
final class DataSamplesCommand extends FmnistSubcommand {
  static final String SAMPLES_FILE = "samples.png";
  static final String HISTOGRAM_FILE = "pixel-histogram.png";
  private static final int MAX_PER_CLASS = 100;
  private static final int MAX_SCALE = 10;
  private static final int CHART_WIDTH = 900;
  private static final int CHART_HEIGHT = 500;

  @Mixin DatasetChoice dataset;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("reports", "data");

  @Option(names = "--per-class", paramLabel = "N",
      description = "Images per class, 1-" + MAX_PER_CLASS + " (default: ${DEFAULT-VALUE}).")
  int perClass = SampleGrid.DEFAULT_PER_CLASS;

  @Option(names = "--scale", paramLabel = "N",
      description = "Enlargement of each image, 1-" + MAX_SCALE + " (default: ${DEFAULT-VALUE}).")
  int scale = SampleGrid.DEFAULT_SCALE;

  @Override
  public Integer call() {
    if (perClass < 1 || perClass > MAX_PER_CLASS) {
      throw new ConfigException("--per-class: must be 1-" + MAX_PER_CLASS + ", found " + perClass);
    }
    if (scale < 1 || scale > MAX_SCALE) {
      throw new ConfigException("--scale: must be 1-" + MAX_SCALE + ", found " + scale);
    }
    PrintWriter printer = spec.commandLine().getOut();
    dataset.registerReading(); // no output inside the dataset
    AtomicFiles.requireWritableFile(out.resolve(SAMPLES_FILE)); // before any work
    AtomicFiles.requireWritableFile(out.resolve(HISTOGRAM_FILE));
    Dataset data = dataset.open(printer, this::requireGridFits);
    String name = DatasetChoice.title(data);
    Path samples = out.resolve(SAMPLES_FILE);
    PngFiles.write(
        samples,
        SampleGrid.render(
            data.train(),
            perClass,
            scale,
            name + " training set: the first " + perClass + " images of each class"));
    printer.println("wrote " + samples);
    Path histogram = out.resolve(HISTOGRAM_FILE);
    PngFiles.write(
        histogram,
        PixelHistogramChart.create(
            name + " training set: pixel values", PixelStatistics.of(data.train()), data.spec().channels()),
        CHART_WIDTH,
        CHART_HEIGHT);
    printer.println("wrote " + histogram);
    printer.flush();
    return 0;
  }

  /** The grid follows the dataset's classes and image size: refused before the images are read where they are known then. */
  private void requireGridFits(DatasetSpec images) {
    long pixels = SampleGrid.gridPixels(images, perClass, scale);
    if (pixels > SampleGrid.MAX_PIXELS) {
      throw new ConfigException(String.format(Locale.ROOT, "--per-class %d, --scale %d: %s classes of %s images"
          + " make a grid of %,d pixels, more than %,d; lower --scale or --per-class", perClass, scale,
          images.classes(), images.describeShape(), pixels, SampleGrid.MAX_PIXELS));
    }
  }
}
