package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.savedmodel.ModelManifest;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad item does not sink the work: a history over the size fmnist reads is left out with a
 * warning and the evaluation still succeeds; a manifest over it is one line, exit 2, before the model
 * loads; {@code explain} of a 30000x30000 PNG beside a good image explains the good one; and the
 * out-of-memory line suggests a heap larger than the one there is.
 */
class OneBadItemTest {
  @TempDir static Path tmp;

  /** Writes {@code {"epochs": []}} padded with spaces to just over the limit. */
  private static void writeOversized(Path file, String json) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(json.substring(0, json.length() - 1));
      char[] spaces = new char[1 << 16];
      java.util.Arrays.fill(spaces, ' ');
      for (long n = 0; n <= ModelManifest.MAX_FILE_BYTES; n += spaces.length) {
        w.write(spaces);
      }
      w.write(json.substring(json.length() - 1));
    }
  }

  @Test
  void aHistoryOver16MbIsLeftOutAndTheEvaluationStillSucceeds() throws IOException {
    Path model = TinyModels.export(tmp.resolve("history/1"), TinyModels.Spec.fmnist());
    Path history = model.resolve("assets.extra/history.json");
    writeOversized(history, "{\"epochs\": [{\"epoch\": 1, \"loss\": 0.5}]}");
    Path data = TinyDataset.of(20, 4).writeDataset(tmp.resolve("data"));
    Path json = tmp.resolve("history-eval.json");
    CliRun r = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(), "--no-report",
        "--json", json.toString(), "--csv", tmp.resolve("history-eval.csv").toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(String.format(java.util.Locale.ROOT, "warning: %s: %,d bytes, larger than the 16 MB fmnist reads from"
        + " a history; learning curves left out%n", history, Files.size(history)), r.err());
    assertTrue(r.out().contains("accuracy"), r.out());
    assertTrue(Files.size(json) > 0);
  }

  @Test
  void aManifestOver16MbIsOneLineWithExitCode2() throws IOException {
    Path model = TinyModels.export(tmp.resolve("manifest/1"), TinyModels.Spec.fmnist());
    Path manifest = model.resolve(ModelManifest.PATH);
    writeOversized(manifest, "{\"name\": \"big\"}");
    Path image = dev.fmnist.testing.TestImages.write(dev.fmnist.testing.TestImages.bandPhoto(2), "png",
        tmp.resolve("m.png"));
    CliRun r = CliRun.of("predict", model.toString(), image.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals(String.format(java.util.Locale.ROOT, "error: %s: %,d bytes, larger than the 16 MB fmnist reads from"
        + " a manifest%n", manifest, Files.size(manifest)), r.err());
  }

  @Test
  void explainExplainsTheOtherFilesWhenOneIsA30000x30000Png() throws IOException {
    Path model = TinyModels.export(tmp.resolve("explain/1"), TinyModels.Spec.fmnist().withConv());
    Path huge = dev.fmnist.testing.GeneratedImages.hugePng(tmp.resolve("huge.png"), 30000, 30000);
    Path good = dev.fmnist.testing.TestImages.write(dev.fmnist.testing.TestImages.bandPhoto(4), "png",
        tmp.resolve("good.png"));
    Path out = tmp.resolve("explained");
    CliRun r = CliRun.of("explain", model.toString(), huge.toString(), good.toString(), "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: " + huge + ": image is 30000x30000 pixels (width x height); fmnist reads images of at most"
        + " 16384 pixels per side and 100 megapixels\n", r.err());
    assertTrue(r.out().startsWith("good.png: predicted "), r.out());
    assertTrue(Files.exists(out.resolve("good.png")), "the good file is explained");

    CliRun onlyBad = CliRun.of("explain", model.toString(), huge.toString(), "--out", tmp.resolve("none").toString());
    assertEquals(ExitCode.BAD_INPUT, onlyBad.code(), onlyBad.toString());
    assertFalse(Files.exists(tmp.resolve("none")), "nothing written when no file could be read");
  }

  @Test
  void theOutOfMemoryLineSuggestsAHeapLargerThanTheOneThereIs() {
    StringWriter err = new StringWriter();
    int code = FmnistCommand.report(new PrintWriter(err), new OutOfMemoryError("Java heap space"), false);
    assertEquals(ExitCode.of(new OutOfMemoryError()), code);
    long heap = Runtime.getRuntime().maxMemory();
    assertEquals("error: " + FmnistCommand.outOfMemory(heap) + System.lineSeparator(), err.toString());
    String fourGb = FmnistCommand.outOfMemory(4L << 30);
    assertEquals("out of memory: the Java heap limit is 4.0 GB; raise it, e.g. JAVA_OPTS=-Xmx8g, or give less work"
        + " at once (a smaller --batch-size, fewer files)", fourGb);
    assertFalse(fourGb.contains("-Xmx4g"), "never suggests the launcher's default");
  }
}
