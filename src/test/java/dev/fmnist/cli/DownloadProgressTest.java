package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fmnist.data.DatasetFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
  @Test
  void printsPlainLinesAtEachQuarterWhenNotATerminal() {
    StringWriter text = new StringWriter();
    DownloadProgress progress = new DownloadProgress(new PrintWriter(text), false);
    progress.transferStarted(DatasetFile.TRAIN_IMAGES, URI.create("http://h/x"), 26_421_856);
    for (long bytes = 0; bytes <= 26_421_856; bytes += 65_536) {
      progress.transferred(bytes);
    }
    progress.transferred(26_421_856);
    progress.transferEnded();
    progress.saved(DatasetFile.TRAIN_IMAGES, Path.of("d/train-images-idx3-ubyte.gz"), 26_421_856);
    progress.alreadyPresent(DatasetFile.TEST_LABELS, Path.of("d/t10k-labels-idx1-ubyte.gz"));
    assertEquals(
        List.of(
            "train-images-idx3-ubyte.gz: downloading 26.4 MB",
            "train-images-idx3-ubyte.gz: 25% (6.6 MB)",
            "train-images-idx3-ubyte.gz: 50% (13.2 MB)",
            "train-images-idx3-ubyte.gz: 75% (19.9 MB)",
            "train-images-idx3-ubyte.gz: 26.4 MB, SHA-256 verified, saved as d/train-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz: already present and verified (d/t10k-labels-idx1-ubyte.gz)"),
        text.toString().lines().toList());
    assertEquals("29.5 kB", DownloadProgress.size(29_491));
  }
}
