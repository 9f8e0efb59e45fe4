package dev.fmnist.cli;

import static dev.fmnist.data.IdxFixtures.IMAGES_MAGIC;
import static dev.fmnist.data.IdxFixtures.LABELS_MAGIC;
import static dev.fmnist.data.IdxFixtures.gzip;
import static dev.fmnist.data.IdxFixtures.imagesIdx;
import static dev.fmnist.data.IdxFixtures.labelsIdx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.data.DatasetFile;
import dev.fmnist.data.IdxFixtures;
import dev.fmnist.data.ImageSet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed dataset directories, generated here, through {@code fmnist data info} and {@code fmnist
 * train}: each must end in one {@code error:} line naming the file, exit code 2, no stack trace,
 * nothing written, well under a second and a bounded amount of memory.
 */
class MalformedDatasetTest {
  /** Generous: reading the tiny valid files and building the command line take ~2 MB. */
  static final long MAX_ALLOCATED_BYTES = 64L << 20;
  /** CPU time of the calling thread, not wall time: CI machines may be busy. */
  static final long MAX_CPU_MILLIS = 1000;
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  static final ImageSet TRAIN = IdxFixtures.tinySet(5, 1);
  static final ImageSet TEST = IdxFixtures.tinySet(2, 2);
  static final byte[] IMAGES = imagesIdx(TRAIN);
  static final byte[] LABELS = labelsIdx(TRAIN);

  @TempDir static Path root;
  static Path recipe;

  /** A change to a valid gzip dataset directory; returns the file whose name the error must carry. */
  @FunctionalInterface
  interface Damage {
    Path apply(Path dir) throws IOException;
  }

  record Variant(String name, Damage damage) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void warmUp() throws IOException {
    recipe = Files.writeString(root.resolve("tiny.yaml"), TrainCommandTest.RECIPE);
    Path good = IdxFixtures.writeDataset(root.resolve("good"), TRAIN, TEST, true);
    assertEquals(0, Cli.run("data", "info", "--data-dir", good.toString()).code());
  }

  static List<Variant> variants() {
    List<Variant> v = new ArrayList<>();
    DatasetFile ti = DatasetFile.TRAIN_IMAGES;
    DatasetFile tl = DatasetFile.TRAIN_LABELS;
    // header fields
    v.add(replace("wrong magic, images", ti, imagesIdx(0x12340803, 50, 28, 28, TRAIN.pixels())));
    v.add(replace("wrong magic, labels", tl, labelsIdx(0x01000801, 50, TRAIN.rawLabels())));
    v.add(replace("wrong magic, text file", ti, "not an IDX file at all\n".getBytes()));
    v.add(replace("label file in the image slot", ti, LABELS));
    v.add(replace("image file in the label slot", tl, IMAGES));
    v.add(new Variant("image and label files swapped", dir -> {
      gz(dir, tl, IMAGES);
      return gz(dir, ti, LABELS); // read first
    }));
    v.add(replace("test files swapped", DatasetFile.TEST_IMAGES, labelsIdx(TEST)));
    for (int type : new int[] {0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00}) {
      v.add(replace("type byte 0x" + Integer.toHexString(type), ti,
          imagesIdx(0x00000003 | type << 8, 50, 28, 28, TRAIN.pixels())));
    }
    for (int dims : new int[] {0, 2, 4, 255}) {
      v.add(replace(dims + " dimensions for images", ti, imagesIdx(0x00000800 | dims, 50, 28, 28, TRAIN.pixels())));
    }
    v.add(replace("3 dimensions for labels", tl, labelsIdx(0x00000803, 50, TRAIN.rawLabels())));
    int[][] sizes = {{27, 28}, {28, 27}, {0, 0}, {32, 32}, {-1, -1}, {28 * 28, 1}};
    for (int[] rc : sizes) {
      v.add(replace("images " + Integer.toUnsignedString(rc[0]) + "x" + Integer.toUnsignedString(rc[1]), ti,
          imagesIdx(IMAGES_MAGIC, 50, rc[0], rc[1], TRAIN.pixels())));
    }
    // truncation, raw and gzip
    for (int len : new int[] {1, 3, 4, 8, 15, 16, 17, 16 + 783, 16 + 784, IMAGES.length / 2, IMAGES.length - 1}) {
      v.add(raw("raw images cut at " + len, ti, Arrays.copyOf(IMAGES, len)));
    }
    for (int len : new int[] {7, 8, 9, LABELS.length - 1}) {
      v.add(raw("raw labels cut at " + len, tl, Arrays.copyOf(LABELS, len)));
    }
    byte[] gz = gzip(IMAGES);
    for (int len : new int[] {1, 2, 10, 11, 20, gz.length / 2, gz.length - 8, gz.length - 4, gz.length - 1}) {
      v.add(new Variant("gzip images cut at " + len, dir -> write(dir, ti.gzipFileName(), Arrays.copyOf(gz, len))));
    }
    // lengths and counts that disagree
    v.add(raw("raw images with 1 trailing byte", ti, Arrays.copyOf(IMAGES, IMAGES.length + 1)));
    v.add(raw("raw images with 1000 trailing bytes", ti, Arrays.copyOf(IMAGES, IMAGES.length + 1000)));
    v.add(replace("gzip images with more data than declared", ti, imagesIdx(IMAGES_MAGIC, 49, 28, 28, TRAIN.pixels())));
    v.add(replace("49 labels for 50 images", tl, labelsIdx(LABELS_MAGIC, 49, Arrays.copyOf(TRAIN.rawLabels(), 49))));
    v.add(replace("0 images for 50 labels", ti, imagesIdx(IMAGES_MAGIC, 0, 28, 28, new byte[0])));
    v.add(replace("21 test labels for 20 test images", DatasetFile.TEST_LABELS,
        labelsIdx(LABELS_MAGIC, 21, Arrays.copyOf(TEST.rawLabels(), 21))));
    // declared sizes near 2^31 and beyond
    for (long count : new long[] {0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, (1L << 31) / 784 + 1, 1_369_570L}) {
      v.add(raw("raw images declaring " + count, ti, imagesIdx(IMAGES_MAGIC, count, 28, 28, TRAIN.pixels())));
      v.add(replace("gzip images declaring " + count, ti, imagesIdx(IMAGES_MAGIC, count, 28, 28, TRAIN.pixels())));
    }
    v.add(replace("gzip labels declaring 2^31-1", tl, labelsIdx(LABELS_MAGIC, 0x7fff_ffffL, TRAIN.rawLabels())));
    v.add(raw("raw labels declaring 2^32-1", tl, labelsIdx(LABELS_MAGIC, 0xffff_ffffL, TRAIN.rawLabels())));
    // label values
    for (int bad : new int[] {10, 11, 127, 255}) {
      byte[] labels = TRAIN.rawLabels().clone();
      labels[labels.length - 1] = (byte) bad;
      v.add(replace("label " + bad, tl, labelsIdx(LABELS_MAGIC, labels.length, labels)));
    }
    // gzip container
    v.add(new Variant("raw data in a .gz file", dir -> write(dir, ti.gzipFileName(), IMAGES)));
    v.add(gzipEdit("bad CRC", gz, b -> b[b.length - 8] ^= 1));
    v.add(gzipEdit("bad length trailer", gz, b -> b[b.length - 4] ^= 1));
    v.add(gzipEdit("corrupt deflate data", gz, b -> Arrays.fill(b, 20, 40, (byte) 0xff)));
    v.add(gzipEdit("reserved flag bits", gz, b -> b[3] = (byte) 0xe0));
    v.add(gzipEdit("compression method 7", gz, b -> b[2] = 7));
    v.add(new Variant("trailing garbage after gzip", dir -> write(dir, ti.gzipFileName(), concat(gz, "junk".getBytes()))));
    v.add(new Variant("trailing zero after gzip", dir -> write(dir, ti.gzipFileName(), concat(gz, new byte[1]))));
    v.add(new Variant("second gzip member", dir -> write(dir, ti.gzipFileName(), concat(gz, gzip(new byte[] {1, 2, 3})))));
    v.add(new Variant("gzip of nothing", dir -> write(dir, ti.gzipFileName(), gzip(new byte[0]))));
    v.add(new Variant("gzip of a gzip", dir -> write(dir, ti.gzipFileName(), gzip(gz))));
    // not files
    v.add(new Variant("empty .gz file", dir -> write(dir, ti.gzipFileName(), new byte[0])));
    v.add(raw("empty raw file", tl, new byte[0]));
    v.add(new Variant("directory instead of a file", dir -> {
      Files.delete(dir.resolve(ti.gzipFileName()));
      return Files.createDirectory(dir.resolve(ti.gzipFileName()));
    }));
    v.add(new Variant("symbolic link to /dev/zero", dir -> {
      Files.delete(dir.resolve(ti.gzipFileName()));
      return Files.createSymbolicLink(dir.resolve(ti.fileName()), Path.of("/dev/zero"));
    }));
    v.add(new Variant("named pipe instead of a file", dir -> {
      Files.delete(dir.resolve(tl.gzipFileName()));
      Path fifo = dir.resolve(tl.fileName());
      Assumptions.assumeTrue(run("mkfifo", fifo.toString()), "mkfifo is not available");
      return fifo;
    }));
    v.add(new Variant("dangling symbolic link", dir -> {
      Files.delete(dir.resolve(ti.gzipFileName()));
      return Files.createSymbolicLink(dir.resolve(ti.gzipFileName()), dir.resolve("nowhere"));
    }));
    v.add(new Variant("symbolic link loop", dir -> {
      Files.delete(dir.resolve(ti.gzipFileName()));
      return Files.createSymbolicLink(dir.resolve(ti.gzipFileName()), dir.resolve(ti.gzipFileName()));
    }));
    v.add(new Variant("missing file", dir -> {
      Files.delete(dir.resolve(tl.gzipFileName()));
      return dir.resolve(tl.fileName());
    }));
    v.add(new Variant("unreadable file", dir -> {
      Path f = dir.resolve(ti.gzipFileName());
      Assumptions.assumeFalse(ROOT, "root reads files whatever their permissions");
      Files.setPosixFilePermissions(f, java.util.Set.of());
      return f;
    }));
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void isRefusedWithOneLineNamingTheFile(Variant variant) throws IOException {
    Path dir = IdxFixtures.writeDataset(root.resolve(safeName(variant.name())), TRAIN, TEST, true);
    Path bad = variant.damage().apply(dir);
    String name = bad.getFileName().toString().replaceFirst("\\.gz$", "");

    Measured info = Measured.run("data", "info", "--data-dir", dir.toString());
    assertRefused(info, name, variant);

    Path run = dir.resolveSibling(dir.getFileName() + "-run");
    Path out = dir.resolveSibling(dir.getFileName() + "-models");
    Measured train = Measured.run("train", "--config", recipe.toString(), "--data-dir", dir.toString(),
        "--run-dir", run.toString(), "--out", out.toString());
    assertRefused(train, name, variant);
    assertFalse(Files.exists(run), "nothing written: " + run);
    assertFalse(Files.exists(out), "nothing written: " + out);
    assertEquals(info.cli().errorLine(), train.cli().errorLine(), "the same error from train as from data info");
  }

  private static void assertRefused(Measured m, String fileName, Variant variant) {
    Cli c = m.cli();
    assertEquals(ExitCode.BAD_INPUT, c.code(), variant + ": " + c.err());
    String line = c.errorLine();
    assertTrue(line.startsWith("error: "), line);
    assertTrue(line.contains(fileName), variant + ": the error does not name " + fileName + ": " + line);
    assertFalse(c.err().contains("\tat ") || c.err().contains("Exception"), "no stack trace: " + c.err());
    assertTrue(m.cpuMillis() < MAX_CPU_MILLIS, variant + " took " + m.cpuMillis() + " ms of CPU time");
    assertTrue(m.allocatedBytes() < MAX_ALLOCATED_BYTES, variant + " allocated " + m.allocatedBytes() + " bytes");
  }

  /** A command's result with the CPU time and the bytes this thread spent on it. */
  record Measured(Cli cli, long cpuMillis, long allocatedBytes) {
    static Measured run(String... args) {
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      long bytes = threads.getThreadAllocatedBytes(id);
      long cpu = threads.getCurrentThreadCpuTime();
      Cli c = Cli.run(args);
      long millis = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
      return new Measured(c, millis, threads.getThreadAllocatedBytes(id) - bytes);
    }
  }

  private static Variant replace(String name, DatasetFile file, byte[] idx) {
    return new Variant(name, dir -> gz(dir, file, idx));
  }

  /** Replaces the file with a raw (not compressed) one. */
  private static Variant raw(String name, DatasetFile file, byte[] bytes) {
    return new Variant(name, dir -> {
      Files.delete(dir.resolve(file.gzipFileName()));
      return write(dir, file.fileName(), bytes);
    });
  }

  private static Variant gzipEdit(String name, byte[] gz, java.util.function.Consumer<byte[]> edit) {
    byte[] b = gz.clone();
    edit.accept(b);
    return new Variant(name, dir -> write(dir, DatasetFile.TRAIN_IMAGES.gzipFileName(), b));
  }

  private static Path gz(Path dir, DatasetFile file, byte[] idx) throws IOException {
    return write(dir, file.gzipFileName(), gzip(idx));
  }

  private static Path write(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }

  private static String safeName(String s) {
    return s.replaceAll("[^A-Za-z0-9]+", "-");
  }

  private static boolean run(String... cmd) {
    try {
      return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @org.junit.jupiter.api.Test
  void thereAreAtLeastFiftyVariants() {
    assertTrue(variants().size() >= 50, "variants: " + variants().size());
  }
}
