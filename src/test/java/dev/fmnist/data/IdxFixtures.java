package dev.fmnist.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Tiny generated IDX files and datasets for tests. */
public final class IdxFixtures {
  public static final int IMAGES_MAGIC = 0x00000803;
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxFixtures() {}

  /**
   * A set of {@code perClass * 10} images, labels cycling 0-9. Pixel {@code k} of image {@code i}
   * is a pattern that depends on the image index, its label and {@code seed}; pixel 0 is {@code i
   * % 256} so tests can recognise images.
   */
  public static ImageSet tinySet(int perClass, long seed) {
    int n = perClass * FashionMnist.SPEC.classes();
    byte[] pixels = new byte[n * FashionMnist.SPEC.valuesPerImage()];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % FashionMnist.SPEC.classes());
      for (int k = 0; k < FashionMnist.SPEC.valuesPerImage(); k++) {
        int row = k / FashionMnist.SPEC.width();
        int v = (row + labels[i] * 3) % 7 == 0 ? 0 : (int) ((k * 31 + i * 17 + seed) % 256);
        pixels[i * FashionMnist.SPEC.valuesPerImage() + k] = (byte) v;
      }
      pixels[i * FashionMnist.SPEC.valuesPerImage()] = (byte) i;
    }
    return new ImageSet(FashionMnist.SPEC, pixels, labels);
  }

  /** An image file: header with the given fields, then {@code payload}. */
  public static byte[] imagesIdx(int magic, long count, int rows, int cols, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
    b.putInt(magic).putInt((int) count).putInt(rows).putInt(cols).put(payload);
    return b.array();
  }

  public static byte[] imagesIdx(ImageSet set) {
    return imagesIdx(IMAGES_MAGIC, set.size(), FashionMnist.SPEC.height(), FashionMnist.SPEC.width(), set.pixels());
  }

  /** A label file: header with the given fields, then {@code payload}. */
  public static byte[] labelsIdx(int magic, long count, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putInt(magic).putInt((int) count).put(payload);
    return b.array();
  }

  public static byte[] labelsIdx(ImageSet set) {
    return labelsIdx(LABELS_MAGIC, set.size(), set.rawLabels());
  }

  /** One gzip member, as the JDK writes it (no optional header fields). */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  /** One gzip member with every optional header field: extra, name, comment and header CRC. */
  public static byte[] gzipWithAllHeaderFields(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int flags = 2 | 4 | 8 | 16;
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, 3});
    out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
    out.writeBytes("name.idx\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    CRC32 headerCrc = new CRC32();
    headerCrc.update(out.toByteArray());
    int h = (int) headerCrc.getValue();
    out.write(h & 0xff);
    out.write((h >>> 8) & 0xff);
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    deflater.finish();
    byte[] buf = new byte[4096];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    CRC32 crc = new CRC32();
    crc.update(data);
    writeLittleEndian(out, (int) crc.getValue());
    writeLittleEndian(out, data.length);
    return out.toByteArray();
  }

  private static void writeLittleEndian(ByteArrayOutputStream out, int v) {
    for (int i = 0; i < 4; i++) {
      out.write((v >>> (8 * i)) & 0xff);
    }
  }

  /** Writes the four files of a dataset into {@code dir}, gzip-compressed or raw. */
  public static Path writeDataset(Path dir, ImageSet train, ImageSet test, boolean gzip)
      throws IOException {
    Files.createDirectories(dir);
    write(dir, DatasetFile.TRAIN_IMAGES, imagesIdx(train), gzip);
    write(dir, DatasetFile.TRAIN_LABELS, labelsIdx(train), gzip);
    write(dir, DatasetFile.TEST_IMAGES, imagesIdx(test), gzip);
    write(dir, DatasetFile.TEST_LABELS, labelsIdx(test), gzip);
    return dir;
  }

  /** A complete tiny dataset: 5 training and 2 test images per class, gzip-compressed. */
  public static Path writeTinyDataset(Path dir) throws IOException {
    return writeDataset(dir, tinySet(5, 1), tinySet(2, 2), true);
  }

  private static void write(Path dir, DatasetFile file, byte[] idx, boolean gzip) throws IOException {
    if (gzip) {
      Files.write(dir.resolve(file.gzipFileName()), gzip(idx));
    } else {
      Files.write(dir.resolve(file.fileName()), idx);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
