package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fmnist.TerminalText;
import dev.fmnist.data.DatasetFile;
import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.TestSet;
import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, class 5: what a command used is said, and an ambiguous input is refused instead of
 * being resolved silently.
 */
class AmbiguousInputTest {
  @TempDir static Path tmp;
  static Path data;
  static Path models;

  @BeforeAll
  static void setUp() throws Exception {
    data = TinyDataset.of(40, 0).writeDataset(tmp.resolve("data"));
    models = tmp.resolve("savedmodels/band");
    TinyModels.export(models.resolve("1"), Spec.fmnist());
    TinyModels.export(models.resolve("2"), Spec.fmnist().favouring(3));
  }

  private static byte[] gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    }
  }

  private static Path copyOfData(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (DatasetFile f : DatasetFile.values()) {
      Files.copy(data.resolve(f.gzipFileName()), dir.resolve(f.gzipFileName()));
    }
    return dir;
  }

  @Test
  void aRawFileThatDiffersFromItsGzipCopyIsRefused() throws Exception {
    Path dir = copyOfData("differing");
    byte[] raw = gunzip(dir.resolve("t10k-images-idx3-ubyte.gz"));
    raw[16 + 300] ^= 0x40; // one pixel of the first image
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), raw);
    Cli r = Cli.run("evaluate", models.resolve("1").toString(), "--data-dir", dir.toString(), "--no-report",
        "--report-dir", tmp.resolve("r-differing").toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals("error: " + dir.resolve("t10k-images-idx3-ubyte") + ": differs from t10k-images-idx3-ubyte.gz"
        + " beside it (decompressed); fmnist will not choose between them: remove or rename one", r.errorLine());
    assertFalse(Files.exists(tmp.resolve("r-differing")), "nothing written");
  }

  @Test
  void aRawFileEqualToItsGzipCopyIsUsedAndNamed() throws Exception {
    Path dir = copyOfData("equal");
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), gunzip(dir.resolve("t10k-images-idx3-ubyte.gz")));
    Cli r = Cli.run("evaluate", models.resolve("1").toString(), "--data-dir", dir.toString(), "--no-report",
        "--report-dir", tmp.resolve("r-equal").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("test set: " + dir.resolve("t10k-images-idx3-ubyte")
        + ", t10k-labels-idx1-ubyte.gz (not the official test set: checksums differ)\n"), r.out());
  }

  @Test
  void evaluateNamesTheTestFilesAndTheVersionItPicked() {
    Cli r = Cli.run("evaluate", models.toString(), "--data-dir", data.toString(), "--no-report",
        "--report-dir", tmp.resolve("r-versions").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("model: " + models.resolve("2") + " (newest of 2 versions)\n"), r.out());
    assertTrue(r.out().contains("test set: " + data.resolve("t10k-images-idx3-ubyte.gz")
        + ", t10k-labels-idx1-ubyte.gz (not the official test set: checksums differ)\n"), r.out());
    assertEquals("", r.err());

    Cli one = Cli.run("evaluate", models.resolve("1").toString(), "--data-dir", data.toString(), "--no-report",
        "--report-dir", tmp.resolve("r-one").toString());
    assertFalse(one.out().contains("newest of"), "a version named outright needs no note: " + one.out());
  }

  @Test
  void theOfficialTestSetIsRecognisedByItsChecksums() {
    assertEquals(TestSet.OFFICIAL, FashionMnist.verdict(FashionMnist.testFilesDiffering(DatasetFile.knownSha256())));
    assumeTrue(FashionMnist.isComplete(DatasetLocator.DEBIAN_DIR), "the Debian dataset package is not installed");
    TestSet t = FashionMnist.readTest(DatasetLocator.DEBIAN_DIR);
    assertTrue(t.official());
    assertTrue(t.line().endsWith("t10k-labels-idx1-ubyte.gz (the official Fashion-MNIST test set)"), t.line());
  }

  @Test
  void evaluateOfAnImageFolderSaysItIsNotTheTestSet() {
    Path folder = tmp.resolve("folder");
    Cli made = Cli.run("data", "images", "--split", "test", "--data-dir", data.toString(), "--out", folder.toString());
    assertEquals(0, made.code(), made.err());
    Cli r = Cli.run("evaluate", models.resolve("1").toString(), "--images", folder.resolve("test").toString(),
        "--no-report", "--report-dir", tmp.resolve("r-folder").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("test set: " + folder.resolve("test") + "/ (40 image files) (a labelled image folder,"
        + " not the official Fashion-MNIST test set)\n"), r.out());
  }

  @Test
  void predictNamesTheVersionOnStderrAndKeepsStdoutToResults() throws Exception {
    Path png = TestImages.write(TestImages.bandPhoto(1), "png", tmp.resolve("trouser.png"));
    Cli r = Cli.run("predict", models.toString(), png.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("model: " + models.resolve("2") + " (newest of 2 versions)", r.err().strip());
    assertEquals(1, r.out().strip().split("\n").length, r.out());
    assertTrue(r.out().startsWith(png + ": "), r.out());
  }

  @Test
  void explainGivesInputsOfOneNameDistinctPictures() throws Exception {
    Path a = TestImages.write(TestImages.bandPhoto(6), "png", Files.createDirectories(tmp.resolve("a")).resolve("shirt.png"));
    Path b = TestImages.write(TestImages.bandPhoto(1), "png", Files.createDirectories(tmp.resolve("b")).resolve("shirt.png"));
    Path out = tmp.resolve("explained");
    Cli r = Cli.run("explain", models.resolve("1").toString(), a.toString(), b.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("shirt.png")), r.out());
    assertTrue(Files.isRegularFile(out.resolve("shirt-2.png")), r.out());
    assertTrue(r.out().contains("-> " + out.resolve("shirt.png") + "\n"), r.out());
    assertTrue(r.out().contains("-> " + out.resolve("shirt-2.png") + "\n"), r.out());
  }

  @Test
  void anInputNamedLikeAnotherOnesNumberedNameKeepsItsOwn() {
    assertEquals(java.util.List.of("shirt", "shirt-3", "shirt-2", "test-1", "test-1-2"),
        ExplainCommand.distinct(java.util.List.of("shirt", "shirt", "shirt-2", "test-1", "test-1")));
  }

  @Test
  void controlCharactersInNamesArePrintedEscaped() throws Exception {
    Path png = TestImages.write(TestImages.bandPhoto(1), "png",
        tmp.resolve("x.png\rsandal.png: Sandal 1.000\n\u001b[2K.png"));
    Cli r = Cli.run("predict", models.resolve("1").toString(), png.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.out().split("\n", -1).length - 1, "one line: " + r.out());
    assertFalse(r.out().contains("\r") || r.out().contains("\u001b"), r.out());
    assertTrue(r.out().startsWith(TerminalText.escape(png) + ": "), r.out());
    assertTrue(r.out().contains("x.png\\rsandal.png: Sandal 1.000\\n\\x1b[2K.png: "), r.out());

    Cli missing = Cli.run("predict", models.resolve("1").toString(), tmp.resolve("gone\u001b[1A.png").toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code());
    assertFalse(missing.err().contains("\u001b"), missing.err());
    assertTrue(missing.errorLine().contains("gone\\x1b[1A.png"), missing.err());
  }

  @Test
  void classNamesWithControlCharactersAreEscapedInTheReport() {
    String text = dev.fmnist.report.ClassificationReportText.format(
        dev.fmnist.eval.ClassificationReport.of(dev.fmnist.eval.ConfusionMatrix.ofCounts(new long[][] {{1, 0}, {0, 1}})), Arrays.asList("a\rfake", "b"));
    assertFalse(text.contains("\r"), text);
    assertTrue(text.contains("a\\rfake"), text);
  }

  @Test
  void comparingAModelWithItselfWarns() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("same-link"), models.resolve("2"));
    Cli r = Cli.run("compare", models.toString(), link.toString(), "--data-dir", data.toString(), "--resamples", "10",
        "--report-dir", tmp.resolve("r-same").toString());
    assertEquals(0, r.code(), r.err());
    String[] warnings = Arrays.stream(r.err().split("\n")).filter(l -> l.startsWith("warning: ")).toArray(String[]::new);
    assertEquals(1, warnings.length, r.err());
    assertTrue(warnings[0].startsWith("warning: " + models + " and " + link + " are the same model ("), warnings[0]);

    Cli different = Cli.run("compare", models.resolve("1").toString(), models.resolve("2").toString(), "--data-dir",
        data.toString(), "--resamples", "10", "--report-dir", tmp.resolve("r-different").toString());
    assertEquals(0, different.code(), different.err());
    assertFalse(different.err().contains("warning:"), different.err());
  }
}
