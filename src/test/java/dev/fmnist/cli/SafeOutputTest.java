package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs never clobber what is there: a destination is a regular file or nothing; a FIFO, a
 * device, a directory, a symbolic link or a file inside the model being read is refused with exit 3
 * and one line, before the evaluation, and left as it was.
 */
class SafeOutputTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    data = TinyDataset.of(60, 6).writeDataset(tmp.resolve("data"));
    model = TinyModels.export(tmp.resolve("savedmodels/band/1"), Spec.fmnist());
  }

  private static CliRun evaluate(String... more) {
    String[] base = {"evaluate", model.toString(), "--data-dir", data.toString(), "--no-report"};
    return CliRun.of(TrainCommandTest.concat(base, more));
  }

  /** One error line, exit 3, no stack trace, and no evaluation ran (the report is printed after it). */
  private static void assertRefusedBeforeWork(CliRun r, String expected) {
    assertEquals(ExitCode.IO_FAILURE, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.toString());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
    assertFalse(r.out().contains("accuracy"), "refused before evaluating: " + r.out());
  }

  @Test
  void jsonAtAFifoIsRefusedAndTheFifoStays() throws Exception {
    Path fifo = tmp.resolve("out.fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    CliRun r = evaluate("--json", fifo.toString(), "--csv", tmp.resolve("fifo.csv").toString());
    assertRefusedBeforeWork(r, fifo + ": not a regular file (a FIFO)");
    assertEquals("a FIFO", kind(fifo));
    assertFalse(Files.exists(tmp.resolve("fifo.csv")));
  }

  @Test
  void jsonAtADirectoryIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a-dir"));
    Files.writeString(dir.resolve("keep.txt"), "mine");
    CliRun r = evaluate("--json", dir.toString());
    assertRefusedBeforeWork(r, dir + ": not a regular file (a directory)");
    assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
  }

  @Test
  void csvAtASymbolicLinkIsRefusedNamingItsTarget() throws Exception {
    Path target = Files.writeString(tmp.resolve("precious.txt"), "do not replace");
    Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), target);
    CliRun r = evaluate("--csv", link.toString(), "--json", tmp.resolve("link.json").toString());
    assertRefusedBeforeWork(r, link + ": a symbolic link (to " + target + ")");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("do not replace", Files.readString(target));
  }

  @Test
  void nothingIsWrittenInsideTheModelBeingRead() throws Exception {
    Map<String, String> before = sums(model);
    CliRun r = evaluate("--json", model.resolve("saved_model.pb").toString());
    assertRefusedBeforeWork(r, "saved_model.pb: inside " + model.toRealPath() + ", which this command reads");
    CliRun viaVersions = evaluate("--csv", model.resolve("variables/predictions.csv").toString(),
        "--json", tmp.resolve("v.json").toString());
    assertRefusedBeforeWork(viaVersions, "inside " + model.toRealPath());
    CliRun report = CliRun.of("evaluate", model.getParent().toString(), "--data-dir", data.toString(),
        "--report-dir", model.resolve("assets.extra").toString());
    assertRefusedBeforeWork(report, "inside " + model.toRealPath());
    assertEquals(before, sums(model), "the model is untouched");
  }

  @Test
  void explainAndExportWriteNothingInsideTheModelTheyRead() throws Exception {
    Map<String, String> before = sums(model);
    CliRun explain = CliRun.of("explain", model.toString(), "--test-index", "0", "--data-dir", data.toString(),
        "--out", model.resolve("explained").toString());
    assertEquals(ExitCode.IO_FAILURE, explain.code(), explain.toString());
    assertTrue(explain.err().contains("inside " + model.toRealPath()), explain.toString());
    assertFalse(explain.out().contains("predicted"), "refused before explaining: " + explain.out());
    assertEquals(before, sums(model), "the model is untouched");

    Path shipped = copyTree(Path.of("savedmodels/mlp/1"), tmp.resolve("shipped/mlp/1")); // an fmnist SavedModel
    Map<String, String> shippedBefore = sums(shipped);
    CliRun export = CliRun.of("export", "--from-savedmodel", shipped.toString(), "--data-dir", data.toString(),
        "--out", shipped.resolve("again").toString());
    assertEquals(ExitCode.IO_FAILURE, export.code(), export.toString());
    assertTrue(export.err().contains("inside " + shipped.toRealPath()), export.toString());
    assertEquals(shippedBefore, sums(shipped), "the model is untouched");
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  @Test
  void anOnnxModelIsNeverReplacedByItsOwnReport() throws Exception {
    Path onnx = dev.fmnist.testing.TinyOnnxModels.write(tmp.resolve("onnx/band.onnx"),
        dev.fmnist.testing.TinyOnnxModels.band("input", new Object[] {dev.fmnist.testing.TinyOnnxModels.N, 1L, 28L, 28L},
            false));
    byte[] before = Files.readAllBytes(onnx);
    CliRun r = CliRun.of("evaluate", onnx.toString(), "--data-dir", data.toString(), "--no-report",
        "--csv", onnx.toString());
    assertRefusedBeforeWork(r, onnx + ": is " + onnx.toRealPath() + ", which this command reads");
    assertEquals(HexFormat.of().formatHex(before), HexFormat.of().formatHex(Files.readAllBytes(onnx)));
  }

  @Test
  void aDatasetFileIsNeverReplaced() throws Exception {
    Path labels;
    try (Stream<Path> s = Files.list(data)) {
      labels = s.filter(p -> p.getFileName().toString().startsWith("t10k-labels")).findFirst().orElseThrow();
    }
    byte[] before = Files.readAllBytes(labels);
    CliRun r = evaluate("--json", labels.toString());
    assertRefusedBeforeWork(r, "which this command reads");
    assertEquals(HexFormat.of().formatHex(before), HexFormat.of().formatHex(Files.readAllBytes(labels)));
  }

  @Test
  void devFullIsRefusedAndStaysACharacterDevice() throws Exception {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue("a character device".equals(kind(full)), "no /dev/full here");
    CliRun r = evaluate("--json", full.toString());
    assertRefusedBeforeWork(r, "/dev/full: not a regular file (a character device); fmnist writes only regular files");
    assertEquals("a character device", kind(full));
  }

  @Test
  void outputDirectoriesThatCannotBeWrittenAreRefusedBeforeWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    CliRun underAFile = evaluate("--json", file.resolve("e.json").toString());
    assertRefusedBeforeWork(underAFile, "not a directory (a regular file)");
    CliRun proc = CliRun.of("explain", model.toString(), "--test-index", "0", "--data-dir", data.toString(),
        "--out", "/proc/fmnist-explain");
    assertRefusedBeforeWork(proc, "/proc/fmnist-explain: cannot write");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void aRegularFileIsStillReplaced() throws Exception {
    Path json = Files.writeString(tmp.resolve("old.json"), "old");
    CliRun r = evaluate("--json", json.toString(), "--csv", tmp.resolve("new.csv").toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.readString(json).startsWith("{"), "replaced by the evaluation");
  }

  static String kind(Path p) throws IOException {
    int type = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
    return switch (type) {
      case 0020000 -> "a character device";
      case 0010000 -> "a FIFO";
      case 0100000 -> "a regular file";
      default -> "mode " + Integer.toOctalString(type);
    };
  }

  static Map<String, String> sums(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        m.put(dir.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      m.put("(entries)", String.valueOf(s.count()));
    }
    return m;
  }
}
