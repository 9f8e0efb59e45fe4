package dev.fmnist.data;

import static dev.fmnist.data.IdxFixtures.IMAGES_MAGIC;
import static dev.fmnist.data.IdxFixtures.LABELS_MAGIC;
import static dev.fmnist.data.IdxFixtures.gzip;
import static dev.fmnist.data.IdxFixtures.imagesIdx;
import static dev.fmnist.data.IdxFixtures.labelsIdx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
  private static final ImageSet SET = IdxFixtures.tinySet(1, 7);
  private static final byte[] IMAGES = imagesIdx(SET);
  private static final byte[] LABELS = labelsIdx(SET);

  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** Reads {@code bytes} as {@code kind} and returns the failure, checking its exit code and file name. */
  private FmnistException failure(String name, byte[] bytes, IdxKind kind) throws IOException {
    Path file = write(name, bytes);
    FmnistException e =
        assertThrows(
            FmnistException.class,
            () -> {
              if (kind == IdxKind.LABELS) {
                IdxReader.readLabels(file, 10);
              } else {
                IdxReader.readImages(file, 28, 28);
              }
            });
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static void assertMessage(FmnistException e, String expectedPart) {
    assertTrue(e.getMessage().contains(expectedPart), () -> "'" + e.getMessage() + "' lacks '" + expectedPart + "'");
  }

  @Test
  void readsRawAndGzipFilesWithTheSameContentAndHash() throws IOException {
    IdxFile raw = IdxReader.readImages(write("train-images-idx3-ubyte", IMAGES));
    IdxFile gz = IdxReader.readImages(write("train-images-idx3-ubyte.gz", gzip(IMAGES)));
    assertEquals(SET.size(), raw.count());
    assertArrayEquals(SET.pixels(), raw.payload());
    assertArrayEquals(SET.pixels(), gz.payload());
    assertEquals(IdxFixtures.sha256(IMAGES), raw.sha256());
    assertEquals(raw.sha256(), gz.sha256());

    IdxFile labels = IdxReader.readLabels(write("labels.gz", gzip(LABELS)), 10);
    assertArrayEquals(SET.rawLabels(), labels.payload());
    assertEquals(IdxFixtures.sha256(LABELS), labels.sha256());
  }

  @Test
  void detectsGzipByContentAndReadsOptionalHeaderFields() throws IOException {
    IdxFile named = IdxReader.readImages(write("images-without-suffix", gzip(IMAGES)));
    assertArrayEquals(SET.pixels(), named.payload());
    IdxFile fields = IdxReader.readImages(write("fields.gz", IdxFixtures.gzipWithAllHeaderFields(IMAGES)));
    assertArrayEquals(SET.pixels(), fields.payload());
  }

  @Test
  void readsAnEmptySet() throws IOException {
    IdxFile empty = IdxReader.readImages(write("empty-set", imagesIdx(IMAGES_MAGIC, 0, 28, 28, new byte[0])));
    assertEquals(0, empty.count());
  }

  @Test
  void rejectsAWrongMagicNumber() throws IOException {
    byte[] bad = imagesIdx(0x12340803, SET.size(), 28, 28, SET.pixels());
    assertMessage(failure("magic", bad, IdxKind.IMAGES), "does not start with an IDX magic number (found 0x12340803");
    assertMessage(failure("magic.gz", gzip(bad), IdxKind.IMAGES), "magic number");
  }

  @Test
  void rejectsALabelFileReadAsImagesAndTheOtherWayRound() throws IOException {
    assertMessage(failure("labels-as-images", LABELS, IdxKind.IMAGES), "declares 1 dimensions, expected 3 for images; this looks like a label file");
    assertMessage(failure("images-as-labels", IMAGES, IdxKind.LABELS), "this looks like an image file");
  }

  @Test
  void rejectsAWrongTypeByte() throws IOException {
    byte[] floats = imagesIdx(0x00000d03, SET.size(), 28, 28, SET.pixels());
    assertMessage(failure("floats", floats, IdxKind.IMAGES), "IDX data type is 0x0d, expected 0x08");
  }

  @Test
  void rejectsAWrongDimensionCount() throws IOException {
    byte[] twoDims = imagesIdx(0x00000802, SET.size(), 28, 28, SET.pixels());
    assertMessage(failure("two-dims", twoDims, IdxKind.IMAGES), "declares 2 dimensions, expected 3");
  }

  @Test
  void rejectsImagesThatAreNot28By28() throws IOException {
    byte[] big = imagesIdx(IMAGES_MAGIC, 1, 32, 32, new byte[32 * 32]);
    assertMessage(failure("big", big, IdxKind.IMAGES), "images are 32x32, expected 28x28");
    byte[] wide = imagesIdx(IMAGES_MAGIC, 1, 28, 29, new byte[28 * 29]);
    assertMessage(failure("wide.gz", gzip(wide), IdxKind.IMAGES), "images are 28x29");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4, 10, 15, 16, 17, 100, 16 + 784, 16 + 784 * 10 - 1})
  void rejectsATruncatedRawFile(int length) throws IOException {
    FmnistException e = failure("cut" + length, Arrays.copyOf(IMAGES, length), IdxKind.IMAGES);
    assertMessage(e, "truncated");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 9, 12, 30, -20, -9, -8, -5, -1})
  void rejectsATruncatedGzipFile(int cut) throws IOException {
    byte[] gz = gzip(IMAGES);
    int length = cut > 0 ? cut : gz.length + cut;
    FmnistException e = failure("cut" + cut + ".gz", Arrays.copyOf(gz, length), IdxKind.IMAGES);
    assertMessage(e, "truncated");
  }

  @Test
  void rejectsAnEmptyFileAndADirectoryAndAMissingFile() throws IOException {
    assertMessage(failure("empty", new byte[0], IdxKind.IMAGES), "is empty");
    assertMessage(failure("empty.gz", new byte[0], IdxKind.LABELS), "is empty");
    Path sub = Files.createDirectory(dir.resolve("train-images-idx3-ubyte"));
    FmnistException e = assertThrows(FmnistException.class, () -> IdxReader.readImages(sub));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertEquals(sub + ": is a directory, not an IDX file", e.getMessage());
    Path missing = dir.resolve("missing");
    e = assertThrows(FmnistException.class, () -> IdxReader.readImages(missing));
    assertEquals(missing + ": not found", e.getMessage());
  }

  @Test
  void rejectsTrailingBytesInARawFile() throws IOException {
    byte[] longer = Arrays.copyOf(IMAGES, IMAGES.length + 3);
    assertMessage(failure("longer", longer, IdxKind.IMAGES), "has 3 trailing bytes after the 10 images its header declares");
  }

  @Test
  void rejectsGzipDataLongerOrShorterThanItsHeaderDeclares() throws IOException {
    byte[] moreData = imagesIdx(IMAGES_MAGIC, SET.size() - 1, 28, 28, SET.pixels());
    assertMessage(failure("more.gz", gzip(moreData), IdxKind.IMAGES), "has more data than the 9 images its header declares");
    byte[] lessData = labelsIdx(LABELS_MAGIC, 2000, SET.rawLabels());
    assertMessage(failure("less.gz", gzip(lessData), IdxKind.LABELS), "truncated: the data ends after 10 of the 2,000 label bytes");
  }

  @Test
  void rejectsLabelsOutsideZeroToNine() throws IOException {
    byte[] labels = SET.rawLabels().clone();
    labels[5] = 11;
    FmnistException e = failure("train-labels-idx1-ubyte.gz", gzip(labelsIdx(LABELS_MAGIC, labels.length, labels)), IdxKind.LABELS);
    assertEquals(dir.resolve("train-labels-idx1-ubyte.gz") + ": label 11 at index 5 is outside 0-9", e.getMessage());
    labels[5] = (byte) 200;
    assertMessage(failure("high", labelsIdx(LABELS_MAGIC, labels.length, labels), IdxKind.LABELS), "label 200 at index 5");
  }

  @Test
  void rejectsHostileDeclaredSizesBeforeAllocating() throws IOException {
    byte[] payload = new byte[FashionMnist.SPEC.valuesPerImage()];
    for (long count : new long[] {0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 2_739_147L}) {
      byte[] header = imagesIdx(IMAGES_MAGIC, count, 28, 28, payload);
      assertMessage(failure("huge" + count, header, IdxKind.IMAGES), "more than the 1,073,741,824 bytes fmnist reads from one file");
      assertMessage(failure("huge" + count + ".gz", gzip(header), IdxKind.IMAGES), "more than the 1,073,741,824 bytes");
    }
    assertMessage(failure("labels-huge", labelsIdx(LABELS_MAGIC, 0x7fff_ffffL, new byte[10]), IdxKind.LABELS), "2,147,483,647 labels");
    FmnistException raw = failure("labels-big", labelsIdx(LABELS_MAGIC, 1_000_000_000L, new byte[10]), IdxKind.LABELS);
    assertMessage(raw, "truncated: its header declares 1,000,000,000 labels (1,000,000,000 bytes), which needs 1,000,000,008 bytes, but the file has 18");
    FmnistException gz = failure("labels-big.gz", gzip(labelsIdx(LABELS_MAGIC, 1_000_000_000L, new byte[10])), IdxKind.LABELS);
    assertMessage(gz, "more than a gzip file of");
    byte[] images = imagesIdx(IMAGES_MAGIC, 1_000_000L, 28, 28, payload);
    assertMessage(failure("images-big.gz", gzip(images), IdxKind.IMAGES), "more than a gzip file of");
  }

  @Test
  void rejectsAFileNamedGzThatIsNotGzip() throws IOException {
    assertMessage(failure("raw.gz", IMAGES, IdxKind.IMAGES), "not in gzip format, although its name ends in .gz");
    assertMessage(failure("text.gz", "hello".getBytes(), IdxKind.IMAGES), "not in gzip format");
  }

  @Test
  void rejectsABadCrcOrLengthInTheGzipTrailer() throws IOException {
    byte[] badCrc = gzip(IMAGES);
    badCrc[badCrc.length - 8] ^= 1;
    assertMessage(failure("crc.gz", badCrc, IdxKind.IMAGES), "gzip CRC-32 mismatch");
    byte[] badLength = gzip(IMAGES);
    badLength[badLength.length - 4] ^= 1;
    assertMessage(failure("isize.gz", badLength, IdxKind.IMAGES), "gzip length mismatch");
  }

  @Test
  void rejectsCorruptDeflateData() throws IOException {
    byte[] gz = gzip(IMAGES);
    for (int i = 20; i < 40; i++) {
      gz[i] = (byte) 0xff;
    }
    FmnistException e = failure("corrupt.gz", gz, IdxKind.IMAGES);
    assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("mismatch"), e.getMessage());
  }

  @Test
  void rejectsTrailingGarbageAndASecondGzipMember() throws IOException {
    byte[] gz = gzip(IMAGES);
    byte[] garbage = Arrays.copyOf(gz, gz.length + 5);
    assertMessage(failure("garbage.gz", garbage, IdxKind.IMAGES), "has trailing bytes after the end of the gzip data");
    byte[] zeros = Arrays.copyOf(gz, gz.length + 1);
    assertMessage(failure("zero.gz", zeros, IdxKind.IMAGES), "trailing bytes");
    byte[] second = gzip(new byte[] {1, 2, 3});
    byte[] twoMembers = Arrays.copyOf(gz, gz.length + second.length);
    System.arraycopy(second, 0, twoMembers, gz.length, second.length);
    assertMessage(failure("two.gz", twoMembers, IdxKind.IMAGES), "holds a second gzip member");
  }

  @Test
  void rejectsAnUnsupportedGzipMethodOrReservedFlags() throws IOException {
    byte[] method = gzip(IMAGES);
    method[2] = 7;
    assertMessage(failure("method.gz", method, IdxKind.IMAGES), "unsupported gzip compression method 7");
    byte[] flags = gzip(IMAGES);
    flags[3] = (byte) 0x80;
    assertMessage(failure("flags.gz", flags, IdxKind.IMAGES), "reserved flag bits");
  }
}
