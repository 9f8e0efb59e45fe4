package dev.fmnist.export;

import dev.fmnist.data.FashionMnist;
import dev.fmnist.TestData;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.Dataset;
import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.train.Callback;
import dev.fmnist.train.Logs;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.TrainingContext;
import dev.fmnist.train.TrainingResult;
import dev.fmnist.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link NativeMemoryTest} (fixed, pre-touched heap, so that resident memory
 * grows only with native and class memory): trains a small model for many epochs, or checks, loads,
 * predicts with and closes a SavedModel many times as {@code fmnist evaluate} does ({@link
 * ClassifierModel}), printing the resident set size as it goes.
 *
 * <p>{@code MemoryProbe train DIR EPOCHS} prints {@code epoch K RSS_KB} after each epoch; {@code
 * MemoryProbe cycles DIR N} prints {@code cycle K RSS_KB} every 10 cycles.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    if (args[0].equals("train")) {
      train(dir, n, (epoch) -> System.out.println("epoch " + epoch + " " + rssKb()));
    } else {
      cycles(dir, n);
    }
    System.out.flush();
  }

  private static TrainingResult train(Path dir, int epochs, java.util.function.IntConsumer afterEpoch) {
    Recipe r = RecipeLoader.parse(TestData.TINY_RECIPE.replace("epochs: 4", "epochs: " + epochs)
        .replace("checkpoints_kept: 5", "checkpoints_kept: 2"), "tiny.yaml");
    r = r.toBuilder().training(t -> t.validationSplit(100)).build();
    Callback sampler = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        afterEpoch.accept(epoch);
      }
    };
    return TrainingRun.of(r).data(Dataset.of(TestData.separable(1000, 1), TestData.separable(100, 9), "generated"))
        .runDirectory(dir.resolve("run")).session(new SessionOptions(SessionOptions.Device.CPU, 1, 1))
        .callbacks(sampler).fit();
  }

  private static void cycles(Path dir, int n) throws IOException {
    TrainingResult trained = train(dir, 1, e -> { });
    ImageSet test = TestData.separable(100, 9);
    Path model = new ModelExporter(dir.resolve("models"), new PrintWriter(new StringWriter()))
        .export(ExportSource.of(trained, "cpu"), Dataset.of(test, test, "generated")).dir();
    float[] images = new float[test.size() * FashionMnist.SPEC.valuesPerImage()];
    for (int i = 0; i < test.size(); i++) {
      test.copyScaled(i, images, i * FashionMnist.SPEC.valuesPerImage());
    }
    for (int c = 1; c <= n; c++) {
      try (ClassifierModel m = ClassifierModel.load(model, null, null)) { // checked, loaded, run, closed
        float[] logits = m.predict(images, test.size(), test.spec());
        if (logits.length != test.size() * 10) {
          throw new IllegalStateException("wrong output size");
        }
      }
      if (c % 10 == 0) {
        System.out.println("cycle " + c + " " + rssKb());
      }
    }
  }

  /** The resident set size of this process, from /proc/self/status. */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
