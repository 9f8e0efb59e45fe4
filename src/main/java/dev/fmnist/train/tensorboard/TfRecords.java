package dev.fmnist.train.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is its length (uint64,
 * little-endian), the masked CRC32C of those 8 bytes, the data, and the masked CRC32C of the data.
 * Reading checks both checksums and stops at the first record that is cut short or damaged (what a
 * process killed while writing leaves at the end of a file).
 */
final class TfRecords {
  private static final int MASK_DELTA = 0xa282ead8;
  private static final int HEADER_BYTES = 12;
  private static final int FOOTER_BYTES = 4;

  /**
   * The intact records of a file.
   *
   * @param records each record's data, in file order
   * @param intactBytes length of the prefix holding those records
   * @param damage why reading stopped before the end of the file, or null when it did not
   */
  record Scan(List<byte[]> records, long intactBytes, String damage) {}

  private TfRecords() {}

  static Scan read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> records = new ArrayList<>();
    while (buf.hasRemaining()) {
      int start = buf.position();
      String damage = null;
      if (buf.remaining() < HEADER_BYTES) {
        damage = "record header cut short";
      } else {
        long length = buf.getLong(start);
        if (buf.getInt(start + 8) != maskedCrc32c(buf.array(), start, 8)) {
          damage = "length checksum mismatch";
        } else if (length < 0 || length > buf.remaining() - HEADER_BYTES - FOOTER_BYTES) {
          damage = "record of " + Long.toUnsignedString(length) + " bytes cut short";
        } else {
          int dataStart = start + HEADER_BYTES;
          int n = (int) length;
          if (buf.getInt(dataStart + n) != maskedCrc32c(buf.array(), dataStart, n)) {
            damage = "data checksum mismatch";
          } else {
            byte[] data = new byte[n];
            buf.get(dataStart, data);
            records.add(data);
            buf.position(dataStart + n + FOOTER_BYTES);
          }
        }
      }
      if (damage != null) {
        return new Scan(records, start, damage + " at byte " + start + " of " + buf.capacity());
      }
    }
    return new Scan(records, buf.capacity(), null);
  }

  static void write(OutputStream out, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong((long) data.length);
    header.putInt(maskedCrc32c(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc32c(data, 0, data.length));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
  }

  /** CRC32C rotated right by 15 bits plus a constant, as TFRecord stores it. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
