package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.data.DatasetFile;
import dev.fmnist.data.FixtureServer;
import dev.fmnist.data.IdxFixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fmnist data} commands, run in-process on a tiny generated dataset. */
class DataCommandTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {
    /** The error output is exactly one {@code error: } line. */
    String errorLine() {
      assertTrue(err.startsWith("error: "), err);
      assertEquals(1, err.lines().count(), err);
      return err.strip();
    }
  }

  static Run fmnist(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FmnistCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path tinyDataset() throws IOException {
    return IdxFixtures.writeTinyDataset(tmp.resolve("tiny"));
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void infoShowsFilesShapesClassesAndPixelStatistics() throws IOException {
    Path dir = tinyDataset();
    Run run = fmnist("data", "info", "--data-dir", dir.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("Fashion-MNIST in " + dir + "\n"), run.out());
    assertTrue(run.out().contains("train-images-idx3-ubyte.gz    50 x 28 x 28"), run.out());
    assertTrue(run.out().contains("t10k-labels-idx1-ubyte.gz     20  "), run.out());
    assertTrue(run.out().contains("MISMATCH"), run.out());
    assertTrue(run.out().contains("    9  Ankle boot         5       2"), run.out());
    assertTrue(run.out().contains("       total             50      20"), run.out());
    assertTrue(run.out().contains("training pixels (0-255): mean "), run.out());
    assertEquals("", run.err());
  }

  @Test
  void infoOnAMalformedFileIsOneErrorLineNamingIt() throws IOException {
    Path dir = tinyDataset();
    Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
    byte[] bad = IdxFixtures.tinySet(5, 1).rawLabels().clone();
    bad[5] = 11;
    Files.write(labels, IdxFixtures.gzip(IdxFixtures.labelsIdx(IdxFixtures.LABELS_MAGIC, bad.length, bad)));
    Run run = fmnist("data", "info", "--data-dir", dir.toString());
    assertEquals(ExitCode.BAD_INPUT, run.code());
    assertEquals("error: " + labels + ": label 11 at index 5 is outside 0-9", run.errorLine());
  }

  @Test
  void aMissingDirectorySaysHowToGetTheData() {
    Path missing = tmp.resolve("missing");
    Run run = fmnist("data", "info", "--data-dir", missing.toString());
    assertEquals(ExitCode.BAD_INPUT, run.code());
    assertTrue(run.errorLine().contains("fmnist data download --data-dir " + missing), run.err());
  }

  @Test
  void verifyReportsEachFileAndFailsUnlessAllAreOriginals() throws IOException {
    Path dir = tinyDataset();
    Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
    Run run = fmnist("data", "verify", "--data-dir", dir.toString());
    assertEquals(ExitCode.BAD_INPUT, run.code());
    List<String> lines = run.out().lines().toList();
    assertEquals(5, lines.size(), run.out());
    assertTrue(lines.get(1).startsWith("MISMATCH  train-images-idx3-ubyte.gz"), lines.get(1));
    assertTrue(lines.get(1).endsWith("expected " + DatasetFile.TRAIN_IMAGES.sha256()), lines.get(1));
    assertTrue(lines.get(3).startsWith("MISSING   t10k-images-idx3-ubyte[.gz]"), lines.get(3));
    assertTrue(lines.get(4).startsWith("INVALID   t10k-labels-idx1-ubyte.gz"), lines.get(4));
    assertTrue(lines.get(4).endsWith("truncated: the file ends inside the gzip header"), lines.get(4));
    assertEquals(
        "error: " + dir + ": 4 of 4 files are not the originals (train-images-idx3-ubyte.gz MISMATCH,"
            + " train-labels-idx1-ubyte.gz MISMATCH, t10k-images-idx3-ubyte[.gz] MISSING,"
            + " t10k-labels-idx1-ubyte.gz INVALID)",
        run.errorLine());
  }

  @Test
  void samplesWritesTwoReadablePngs() throws IOException {
    Path out = tmp.resolve("reports/data");
    Run run = fmnist("data", "samples", "--data-dir", tinyDataset().toString(), "--out", out.toString(), "--per-class", "4");
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("pixel-histogram.png", "samples.png"), files(out));
    BufferedImage grid = ImageIO.read(out.resolve("samples.png").toFile());
    assertTrue(grid.getWidth() > 4 * 28 * 3 && grid.getHeight() > 10 * 28 * 3, grid.getWidth() + "x" + grid.getHeight());
    BufferedImage chart = ImageIO.read(out.resolve("pixel-histogram.png").toFile());
    assertEquals(900, chart.getWidth());
    assertEquals(500, chart.getHeight());
    assertTrue(run.out().contains("wrote " + out.resolve("samples.png")), run.out());
  }

  @Test
  void samplesRejectsAnOutOfRangeCount() throws IOException {
    Run run = fmnist("data", "samples", "--data-dir", tinyDataset().toString(), "--per-class", "0");
    assertEquals(ExitCode.BAD_INPUT, run.code());
    assertEquals("error: --per-class: must be 1-100, found 0", run.errorLine());
  }

  @Test
  void downloadRejectsFilesThatAreNotTheOriginalsAndKeepsNothing() throws IOException {
    Path source = tinyDataset();
    Path target = tmp.resolve("downloaded");
    try (FixtureServer server = new FixtureServer()) {
      for (DatasetFile f : DatasetFile.values()) {
        server.serve("/fm/" + f.gzipFileName(), Files.readAllBytes(source.resolve(f.gzipFileName())));
      }
      Run run = fmnist("data", "download", "--data-dir", target.toString(), "--base-url", server.uri("/fm/").toString());
      assertEquals(ExitCode.BAD_INPUT, run.code());
      assertTrue(
          run.errorLine().startsWith("error: " + server.uri("/fm/train-images-idx3-ubyte.gz") + ": SHA-256 of the decompressed data is "),
          run.err());
      assertTrue(run.err().contains("the download was not kept"), run.err());
      assertTrue(run.out().contains("train-images-idx3-ubyte.gz: downloading"), run.out());
      assertEquals(List.of(), files(target));
    }
  }

  @Test
  void downloadHttpErrorsAndUnreachableHostsAreIoFailures() throws IOException {
    Path target = tmp.resolve("dl");
    try (FixtureServer server = new FixtureServer()) {
      Run run = fmnist("data", "download", "--data-dir", target.toString(), "--base-url", server.uri("/nothing").toString());
      assertEquals(ExitCode.IO_FAILURE, run.code());
      assertEquals("error: " + server.uri("/nothing/train-images-idx3-ubyte.gz") + ": HTTP 404", run.errorLine());
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run run = fmnist("data", "download", "--data-dir", target.toString(), "--base-url", "http://127.0.0.1:" + port);
    assertEquals(ExitCode.IO_FAILURE, run.code());
    assertTrue(run.errorLine().endsWith("cannot connect to 127.0.0.1:" + port + " (connection refused or host unreachable)"), run.err());
    assertEquals(List.of(), files(target));
  }

  @Test
  void helpListsTheSubcommands() {
    Run run = fmnist("data", "--help");
    assertEquals(0, run.code());
    for (String sub : List.of("info", "verify", "samples", "download")) {
      assertTrue(run.out().contains("  " + sub + " "), run.out());
    }
  }
}
