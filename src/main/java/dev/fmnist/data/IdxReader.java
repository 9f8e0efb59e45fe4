package dev.fmnist.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads Fashion-MNIST IDX files, raw or gzip-compressed, and checks everything: magic, type byte,
 * dimension count, 28x28 images, a payload of exactly the declared length, and for gzip the CRC,
 * the length trailer and that nothing follows the single member. Declared sizes are checked
 * against the file before anything is allocated. Every failure is an {@link IdxFormatException}
 * naming the file.
 */
public final class IdxReader {
  /** Magic of an unsigned-byte, 3-dimensional file (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic of an unsigned-byte, 1-dimensional file (labels). */
  public static final int LABELS_MAGIC = 0x00000801;
  static final int UNSIGNED_BYTE = 0x08;
  /** Deflate cannot expand data by more than about 1032:1; a header claiming more is lying. */
  private static final long MAX_DEFLATE_RATIO = 1100;
  /** The largest Java array, with headroom. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 16;
  private static final int GZIP_ID1 = 0x1f;
  private static final int GZIP_ID2 = 0x8b;

  private IdxReader() {}

  /** Reads an image file: [count, 28, 28] unsigned bytes. */
  public static IdxFile readImages(Path file) {
    return read(file, true);
  }

  /** Reads a label file: [count] unsigned bytes. Values are checked by {@link ImageSet}. */
  public static IdxFile readLabels(Path file) {
    return read(file, false);
  }

  private static IdxFile read(Path file, boolean images) {
    byte[] raw = readFile(file);
    if (raw.length == 0) {
      throw new IdxFormatException(file, "empty file");
    }
    boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == GZIP_ID1 && (raw[1] & 0xff) == GZIP_ID2;
    if (!gzip && file.getFileName().toString().endsWith(".gz")) {
      throw new IdxFormatException(file, "not a gzip file (named .gz but does not start with the gzip magic 1f 8b)");
    }
    byte[] bytes = gzip ? gunzip(file, raw, images) : checkRaw(file, raw, images);
    int headerLength = images ? 16 : 8;
    int count = (int) declaredCount(file, bytes, images);
    byte[] payload = java.util.Arrays.copyOfRange(bytes, headerLength, bytes.length);
    return new IdxFile(count, payload, sha256(bytes));
  }

  private static byte[] readFile(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new IdxFormatException(file, "is a directory, expected an IDX file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IdxFormatException(file, "file of " + size + " bytes is too large to be a Fashion-MNIST file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IdxFormatException(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new IdxFormatException(file, "permission denied", e);
    } catch (IOException e) {
      throw new IdxFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static byte[] checkRaw(Path file, byte[] raw, boolean images) {
    long expected = expectedLength(file, raw, images, raw.length);
    if (raw.length < expected) {
      throw new IdxFormatException(file, "truncated: the header declares " + expected + " bytes, the file has " + raw.length);
    }
    if (raw.length > expected) {
      throw new IdxFormatException(file, (raw.length - expected) + " trailing bytes after the " + expected + " bytes the header declares");
    }
    return raw;
  }

  /**
   * Checks the header at the start of {@code bytes} and returns the total decompressed length it
   * declares. {@code available} is how many bytes there are (or could be, for gzip).
   */
  private static long expectedLength(Path file, byte[] bytes, boolean images, long available) {
    int headerLength = images ? 16 : 8;
    if (bytes.length < headerLength) {
      throw new IdxFormatException(file, "truncated: " + bytes.length + " bytes, shorter than the " + headerLength + "-byte IDX header");
    }
    int magic = readInt(bytes, 0);
    int expectedMagic = images ? IMAGES_MAGIC : LABELS_MAGIC;
    if (magic != expectedMagic) {
      if ((magic >>> 16) == 0 && (magic & 0xff00) >>> 8 == UNSIGNED_BYTE && magic != expectedMagic) {
        int dims = magic & 0xff;
        throw new IdxFormatException(file, String.format(
            "has %d dimension(s), expected %d (is this a%s file?)", dims, images ? 3 : 1, images ? " label" : "n image"));
      }
      if ((magic >>> 16) == 0 && (magic & 0xff) == (images ? 3 : 1)) {
        throw new IdxFormatException(file, String.format(
            "type byte 0x%02x, expected 0x08 (unsigned byte)", (magic >>> 8) & 0xff));
      }
      throw new IdxFormatException(file, String.format("bad magic number 0x%08x, expected 0x%08x", magic, expectedMagic));
    }
    long count = readInt(bytes, 4) & 0xffffffffL;
    long itemSize = 1;
    if (images) {
      long rows = readInt(bytes, 8) & 0xffffffffL;
      long cols = readInt(bytes, 12) & 0xffffffffL;
      if (rows != ImageSet.ROWS || cols != ImageSet.COLS) {
        throw new IdxFormatException(file, "images are " + rows + "x" + cols + ", expected 28x28");
      }
      itemSize = ImageSet.PIXELS;
    }
    long total = headerLength + count * itemSize;
    if (total > MAX_BYTES || total > available) {
      throw new IdxFormatException(file, "the header declares " + count + (images ? " images" : " labels")
          + " (" + total + " bytes), more than the file can hold");
    }
    return total;
  }

  private static long declaredCount(Path file, byte[] bytes, boolean images) {
    return readInt(bytes, 4) & 0xffffffffL;
  }

  /** Decompresses a single-member gzip file strictly (RFC 1952). */
  private static byte[] gunzip(Path file, byte[] gz, boolean images) {
    int pos = gzipHeaderLength(file, gz);
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(gz, pos, gz.length - pos);
      byte[] header = new byte[images ? 16 : 8];
      int got = inflateFully(file, inflater, header, 0, header.length);
      if (got < header.length) {
        throw new IdxFormatException(file, "truncated: the gzip stream ends inside the IDX header");
      }
      long total = expectedLength(file, header, images, Math.min(MAX_BYTES, gz.length * MAX_DEFLATE_RATIO));
      byte[] out = new byte[(int) total];
      System.arraycopy(header, 0, out, 0, header.length);
      got = inflateFully(file, inflater, out, header.length, out.length - header.length);
      if (header.length + got < total) {
        throw new IdxFormatException(file, "truncated: the gzip stream ends after " + (header.length + got)
            + " of the " + total + " bytes the header declares");
      }
      if (!inflater.finished()) {
        byte[] extra = new byte[1];
        if (inflater.inflate(extra) > 0 || !inflater.finished()) {
          throw new IdxFormatException(file, "more data than the " + total + " bytes the header declares");
        }
      }
      int trailerAt = gz.length - inflater.getRemaining();
      if (inflater.getRemaining() < 8) {
        throw new IdxFormatException(file, "truncated: the gzip trailer (CRC and length) is missing");
      }
      CRC32 crc = new CRC32();
      crc.update(out);
      long storedCrc = readIntLe(gz, trailerAt) & 0xffffffffL;
      long storedSize = readIntLe(gz, trailerAt + 4) & 0xffffffffL;
      if (storedCrc != crc.getValue()) {
        throw new IdxFormatException(file, "corrupt gzip data: CRC mismatch");
      }
      if (storedSize != (out.length & 0xffffffffL)) {
        throw new IdxFormatException(file, "corrupt gzip data: the trailer's length does not match");
      }
      if (inflater.getRemaining() > 8) {
        throw new IdxFormatException(file, (inflater.getRemaining() - 8)
            + " bytes after the gzip stream (trailing garbage or a second gzip member)");
      }
      return out;
    } catch (DataFormatException e) {
      throw new IdxFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static int inflateFully(Path file, Inflater inflater, byte[] dst, int off, int len) throws DataFormatException {
    int done = 0;
    while (done < len) {
      int n = inflater.inflate(dst, off + done, len - done);
      if (n == 0) {
        if (inflater.finished() || inflater.needsInput()) {
          break;
        }
        if (inflater.needsDictionary()) {
          throw new IdxFormatException(file, "corrupt gzip data: needs a preset dictionary");
        }
      }
      done += n;
    }
    return done;
  }

  private static int gzipHeaderLength(Path file, byte[] gz) {
    if (gz.length < 18) {
      throw new IdxFormatException(file, "truncated gzip file (" + gz.length + " bytes)");
    }
    if ((gz[2] & 0xff) != 8) {
      throw new IdxFormatException(file, "unsupported gzip compression method " + (gz[2] & 0xff));
    }
    int flags = gz[3] & 0xff;
    int pos = 10;
    try {
      if ((flags & 0x04) != 0) { // FEXTRA
        int xlen = (gz[pos] & 0xff) | (gz[pos + 1] & 0xff) << 8;
        pos += 2 + xlen;
      }
      if ((flags & 0x08) != 0) { // FNAME
        while (gz[pos++] != 0) {
          // skip the zero-terminated name
        }
      }
      if ((flags & 0x10) != 0) { // FCOMMENT
        while (gz[pos++] != 0) {
          // skip the zero-terminated comment
        }
      }
      if ((flags & 0x02) != 0) { // FHCRC
        pos += 2;
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IdxFormatException(file, "truncated gzip header");
    }
    if (pos >= gz.length) {
      throw new IdxFormatException(file, "truncated gzip header");
    }
    return pos;
  }

  private static int readInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
  }

  private static int readIntLe(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
