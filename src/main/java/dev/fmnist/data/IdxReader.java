package dev.fmnist.data;

import dev.fmnist.StorageException;
import dev.fmnist.FmnistException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Reads and checks Fashion-MNIST IDX files, raw or gzip-compressed (detected from the content).
 *
 * <p>Every header field is checked before anything is allocated: the magic number, the type
 * byte, the number of dimensions, 28x28 images, and a declared size that fits both the file (raw:
 * exactly; gzip: within what deflate can compress into the file's size) and {@link
 * #MAX_PAYLOAD_BYTES}. Gzip data is read to its end, so its CRC-32 is checked, and a second member
 * or trailing bytes are rejected. Every problem is an {@link IdxFormatException} naming the file.
 */
public final class IdxReader {
  /** The most payload bytes one file may declare: 1 GiB, about 1.37 million images. */
  public static final long MAX_PAYLOAD_BYTES = 1L << 30;
  /** Deflate's best ratio is about 1032:1, so a gzip file of n bytes inflates to at most this times n. */
  static final long MAX_DEFLATE_RATIO = 1032;
  private static final int STREAM_BUFFER_BYTES = 1 << 16;
  private static final int MIN_INITIAL_CAPACITY = 1 << 16;
  private static final int GUESSED_GZIP_RATIO = 4;

  private IdxReader() {}

  /**
   * Reads an image file of {@code n x rows x cols} unsigned bytes, any size up to {@link DatasetSpec#MAX_SIDE}.
   *
   * @param file the file, raw or gzip
   * @return the images
   * @throws IdxFormatException when the file is missing or not a valid IDX image file
   * @throws StorageException when the file cannot be read
   */
  public static IdxFile readImages(Path file) {
    return read(file, IdxKind.IMAGES, 0, 0);
  }

  /**
   * Reads an image file whose images must be {@code rows x cols}.
   *
   * @param file the file, raw or gzip
   * @param rows the required image height
   * @param cols the required image width
   * @return the images
   * @throws IdxFormatException when the file is missing, not a valid IDX image file, or of another
   *     image size
   * @throws StorageException when the file cannot be read
   */
  public static IdxFile readImages(Path file, int rows, int cols) {
    return read(file, IdxKind.IMAGES, rows, cols);
  }

  /**
   * Reads a label file and checks every label is in {@code 0 .. classes-1}.
   *
   * @param file the file, raw or gzip
   * @param classes the number of classes
   * @return the labels
   * @throws IdxFormatException when the file is missing, not a valid IDX label file, or holds a
   *     label out of range
   * @throws StorageException when the file cannot be read
   */
  public static IdxFile readLabels(Path file, int classes) {
    IdxFile labels = read(file, IdxKind.LABELS, 0, 0);
    byte[] payload = labels.payload();
    for (int i = 0; i < payload.length; i++) {
      int label = payload[i] & 0xff;
      if (label >= classes) {
        throw new IdxFormatException(
            file, "label " + label + " at index " + i + " is outside 0-" + (classes - 1));
      }
    }
    return labels;
  }

  /**
   * Reads a file of the given kind, checking its header and length but not label values.
   *
   * @param file the file, raw or gzip
   * @param kind images or labels
   * @return the file's header sizes, payload and SHA-256
   * @throws IdxFormatException when the file is missing or not a valid IDX file of that kind
   * @throws StorageException when the file cannot be read
   */
  public static IdxFile read(Path file, IdxKind kind) {
    return read(file, kind, 0, 0);
  }

  /** As {@link #read(Path, IdxKind)}; images must be {@code rows x cols} unless those are 0. */
  private static IdxFile read(Path file, IdxKind kind, int rows, int cols) {
    long fileSize = regularFileSize(file);
    try (InputStream buffered =
        new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER_BYTES)) {
      boolean gzip = startsWithGzipMagic(buffered);
      try (InputStream in = decoded(file, buffered, gzip)) {
        return readContent(file, kind, in, gzip, fileSize, rows, cols);
      }
    } catch (EOFException e) {
      throw new IdxFormatException(
          file, e.getMessage() != null ? e.getMessage() : "truncated: the file ends early", e);
    } catch (ZipException e) {
      throw new IdxFormatException(file, e.getMessage(), e);
    } catch (AccessDeniedException e) {
      throw new IdxFormatException(file, "permission denied", e);
    } catch (IOException e) {
      throw new StorageException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static IdxFile readContent(
      Path file, IdxKind kind, InputStream in, boolean gzip, long fileSize, int expectedRows, int expectedCols)
      throws IOException {
    byte[] header = new byte[kind.headerBytes()];
    readHeader(in, header);
    long count = checkHeader(file, kind, header, expectedRows, expectedCols);
    int rows = kind == IdxKind.IMAGES ? bigEndianInt(header, 8) : 0;
    int cols = kind == IdxKind.IMAGES ? bigEndianInt(header, 12) : 0;
    long payloadBytes = count * (kind == IdxKind.IMAGES ? (long) rows * cols : 1);
    checkDeclaredSize(file, kind, count, payloadBytes, gzip, fileSize);
    byte[] payload = readPayload(file, kind, in, payloadBytes, gzip ? fileSize : -1);
    if (in.read() >= 0) {
      throw new IdxFormatException(
          file, "has more data than the " + count + " " + plural(kind) + " its header declares");
    }
    MessageDigest sha = sha256();
    sha.update(header);
    sha.update(payload);
    return new IdxFile(file, (int) count, rows, cols, payload, HexFormat.of().formatHex(sha.digest()));
  }

  private static void readHeader(InputStream in, byte[] header) throws IOException {
    int filled = 0;
    while (filled < header.length) {
      int n = in.read(header, filled, header.length - filled);
      if (n < 0) {
        throw new EOFException("truncated: the file ends inside the IDX header");
      }
      filled += n;
    }
  }

  /** Checks the magic number and dimensions; returns the declared item count (unsigned). */
  private static long checkHeader(Path file, IdxKind kind, byte[] header, int expectedRows, int expectedCols) {
    int magic = bigEndianInt(header, 0);
    if ((magic >>> 16) != 0) {
      throw new IdxFormatException(
          file,
          String.format(
              "does not start with an IDX magic number (found 0x%08x, expected 0x%08x for %s)",
              magic, kind.magic(), plural(kind)));
    }
    int type = header[2] & 0xff;
    if (type != IdxKind.UNSIGNED_BYTE) {
      throw new IdxFormatException(
          file, String.format("IDX data type is 0x%02x, expected 0x08 (unsigned byte)", type));
    }
    int dimensions = header[3] & 0xff;
    if (dimensions != kind.dimensions()) {
      String hint = "";
      for (IdxKind other : IdxKind.values()) {
        if (other != kind && other.dimensions() == dimensions) {
          hint = "; this looks like " + other.fileDescription();
        }
      }
      throw new IdxFormatException(
          file,
          "header declares "
              + dimensions
              + " dimensions, expected "
              + kind.dimensions()
              + " for "
              + plural(kind)
              + hint);
    }
    if (kind == IdxKind.IMAGES) {
      long rows = Integer.toUnsignedLong(bigEndianInt(header, 8));
      long cols = Integer.toUnsignedLong(bigEndianInt(header, 12));
      if (expectedRows > 0 && (rows != expectedRows || cols != expectedCols)) {
        throw new IdxFormatException(
            file, "images are " + rows + "x" + cols + ", expected " + expectedRows + "x" + expectedCols);
      }
      if (rows < 1 || cols < 1 || rows > DatasetSpec.MAX_SIDE || cols > DatasetSpec.MAX_SIDE) {
        throw new IdxFormatException(
            file, "images are " + rows + "x" + cols + ", expected 1 to " + DatasetSpec.MAX_SIDE + " pixels per side");
      }
    }
    return Integer.toUnsignedLong(bigEndianInt(header, 4));
  }

  private static void checkDeclaredSize(
      Path file, IdxKind kind, long count, long payloadBytes, boolean gzip, long fileSize) {
    String declared =
        String.format(
            Locale.ROOT, "its header declares %,d %s (%,d bytes)", count, plural(kind), payloadBytes);
    if (payloadBytes > MAX_PAYLOAD_BYTES) {
      throw new IdxFormatException(
          file,
          String.format(
              Locale.ROOT,
              "%s, more than the %,d bytes fmnist reads from one file",
              declared,
              MAX_PAYLOAD_BYTES));
    }
    long expectedSize = kind.headerBytes() + payloadBytes;
    if (gzip) {
      if (expectedSize > fileSize * MAX_DEFLATE_RATIO) {
        throw new IdxFormatException(
            file,
            String.format(
                Locale.ROOT,
                "%s, more than a gzip file of %,d bytes can hold (corrupt header)",
                declared,
                fileSize));
      }
    } else if (fileSize < expectedSize) {
      throw new IdxFormatException(
          file,
          String.format(
              Locale.ROOT,
              "truncated: %s, which needs %,d bytes, but the file has %,d",
              declared,
              expectedSize,
              fileSize));
    } else if (fileSize > expectedSize) {
      throw new IdxFormatException(
          file,
          String.format(
              Locale.ROOT,
              "has %,d trailing bytes after the %,d %s its header declares",
              fileSize - expectedSize,
              count,
              plural(kind)));
    }
  }

  /**
   * Reads exactly {@code payloadBytes}. A raw file's length was checked, so the array is allocated
   * at once; gzip data is read into an array that grows only as data arrives.
   */
  private static byte[] readPayload(
      Path file, IdxKind kind, InputStream in, long payloadBytes, long gzipFileSize)
      throws IOException {
    int capacity =
        gzipFileSize < 0
            ? (int) payloadBytes
            : (int)
                Math.min(
                    payloadBytes,
                    Math.max(MIN_INITIAL_CAPACITY, gzipFileSize * GUESSED_GZIP_RATIO));
    byte[] payload = new byte[capacity];
    int filled = 0;
    while (filled < payloadBytes) {
      if (filled == payload.length) {
        payload = Arrays.copyOf(payload, (int) Math.min(payloadBytes, 2L * payload.length));
      }
      int n = in.read(payload, filled, payload.length - filled);
      if (n < 0) {
        throw new IdxFormatException(
            file,
            String.format(
                Locale.ROOT,
                "truncated: the data ends after %,d of the %,d %s bytes its header declares",
                filled,
                payloadBytes,
                kind.itemName()));
      }
      filled += n;
    }
    return payload;
  }

  private static long regularFileSize(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new IdxFormatException(file, "not found", e);
    } catch (IOException e) {
      throw new StorageException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (attributes.isDirectory()) {
      throw new IdxFormatException(file, "is a directory, not an IDX file");
    }
    if (!attributes.isRegularFile()) {
      throw new IdxFormatException(file, "is not a regular file");
    }
    if (attributes.size() == 0) {
      throw new IdxFormatException(file, "is empty");
    }
    return attributes.size();
  }

  /** {@code buffered} itself, or its data decompressed when it starts with the gzip magic number. */
  private static InputStream decoded(Path file, InputStream buffered, boolean gzip) throws IOException {
    if (!gzip && file.getFileName().toString().endsWith(".gz")) {
      throw new IdxFormatException(file, "not in gzip format, although its name ends in .gz");
    }
    return gzip ? new StrictGzipInputStream(buffered) : buffered;
  }

  /**
   * Whether two files hold the same content once each is decompressed (when it is gzip): a raw
   * file and its {@code .gz} copy. Streams both, stopping at the first difference, and reads at
   * most {@link #MAX_PAYLOAD_BYTES} and a header.
   *
   * @param a one file
   * @param b the other
   * @return whether their decompressed bytes are equal
   * @throws IdxFormatException when one cannot be decompressed (naming it)
   * @throws StorageException when one cannot be read
   */
  static boolean sameContent(Path a, Path b) {
    Path reading = a;
    try (InputStream ba = new BufferedInputStream(Files.newInputStream(a), STREAM_BUFFER_BYTES);
        InputStream bb = new BufferedInputStream(Files.newInputStream(b), STREAM_BUFFER_BYTES)) {
      InputStream ia = decoded(a, ba, startsWithGzipMagic(ba));
      reading = b;
      InputStream ib = decoded(b, bb, startsWithGzipMagic(bb));
      byte[] x = new byte[STREAM_BUFFER_BYTES];
      byte[] y = new byte[STREAM_BUFFER_BYTES];
      long compared = 0;
      while (compared <= MAX_PAYLOAD_BYTES + 16) {
        reading = a;
        int n = ia.readNBytes(x, 0, x.length);
        reading = b;
        int m = ib.readNBytes(y, 0, n == 0 ? 1 : n);
        if (n != m || !java.util.Arrays.equals(x, 0, n, y, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
        compared += n;
      }
      return false; // larger than any dataset file fmnist reads: not worth telling apart
    } catch (EOFException | ZipException e) {
      throw new IdxFormatException(reading, e.getMessage() != null ? e.getMessage() : "truncated: the file ends early",
          e);
    } catch (AccessDeniedException e) {
      throw new IdxFormatException(reading, "permission denied", e);
    } catch (IOException e) {
      throw new StorageException(reading + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Whether the data starts with the gzip magic number, or with its first byte and then ends. */
  private static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == StrictGzipInputStream.ID1 && (second == StrictGzipInputStream.ID2 || second < 0);
  }

  private static int bigEndianInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24
        | (b[off + 1] & 0xff) << 16
        | (b[off + 2] & 0xff) << 8
        | (b[off + 3] & 0xff);
  }

  private static String plural(IdxKind kind) {
    return kind.itemName() + "s";
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
