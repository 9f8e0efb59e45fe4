package dev.fmnist.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses exactly one gzip member (RFC 1952) and nothing else. Unlike the JDK's {@code
 * GZIPInputStream} it rejects a second concatenated member and trailing bytes, always checks the
 * CRC-32 and length in the trailer when the end of the data is read, and reports truncation with
 * a message. Format problems are {@link ZipException}s, truncation an {@link EOFException}; both
 * carry a message meant to follow {@code <file>: }.
 */
final class StrictGzipInputStream extends InputStream {
  static final int ID1 = 0x1f;
  static final int ID2 = 0x8b;
  private static final int CM_DEFLATE = 8;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED_FLAGS = 0xe0;
  private static final int FIXED_HEADER_REST = 6; // MTIME (4), XFL, OS
  private static final int TRAILER_BYTES = 8;
  private static final int BUFFER_BYTES = 1 << 16;

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private final byte[] single = new byte[1];
  private int bufferFilled;
  private long inflatedBytes;
  private boolean headerRead;
  private boolean ended;

  StrictGzipInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1);
    return n < 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (!headerRead) {
      readHeader();
      headerRead = true;
    }
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException("corrupt gzip data (" + e.getMessage() + ")");
      }
      if (n > 0) {
        crc.update(b, off, n);
        inflatedBytes += n;
        return n;
      }
      if (inflater.finished()) {
        readTrailer();
        ended = true;
        return -1;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("corrupt gzip data (asks for a preset dictionary)");
      }
      if (inflater.needsInput()) {
        bufferFilled = in.read(buffer, 0, buffer.length);
        if (bufferFilled < 0) {
          throw new EOFException("truncated: the gzip data ends before its end marker");
        }
        inflater.setInput(buffer, 0, bufferFilled);
      }
    }
  }

  private void readHeader() throws IOException {
    CRC32 headerCrc = new CRC32();
    int id1 = in.read();
    int id2 = in.read();
    if (id1 == ID1 && id2 < 0) {
      throw new EOFException("truncated: the file ends inside the gzip header");
    }
    if (id1 != ID1 || id2 != ID2) {
      throw new ZipException("not in gzip format");
    }
    headerCrc.update(id1);
    headerCrc.update(id2);
    int method = headerByte(headerCrc);
    if (method != CM_DEFLATE) {
      throw new ZipException("unsupported gzip compression method " + method + ", expected 8 (deflate)");
    }
    int flags = headerByte(headerCrc);
    if ((flags & RESERVED_FLAGS) != 0) {
      throw new ZipException(String.format("gzip header has reserved flag bits set (0x%02x)", flags));
    }
    for (int i = 0; i < FIXED_HEADER_REST; i++) {
      headerByte(headerCrc);
    }
    if ((flags & FEXTRA) != 0) {
      int extraLength = headerByte(headerCrc) | headerByte(headerCrc) << 8;
      for (int i = 0; i < extraLength; i++) {
        headerByte(headerCrc);
      }
    }
    if ((flags & FNAME) != 0) {
      while (headerByte(headerCrc) != 0) {}
    }
    if ((flags & FCOMMENT) != 0) {
      while (headerByte(headerCrc) != 0) {}
    }
    if ((flags & FHCRC) != 0) {
      int expected = headerCrcByte() | headerCrcByte() << 8;
      if (expected != (int) (headerCrc.getValue() & 0xffff)) {
        throw new ZipException("gzip header checksum mismatch");
      }
    }
  }

  private int headerByte(CRC32 headerCrc) throws IOException {
    int b = headerCrcByte();
    headerCrc.update(b);
    return b;
  }

  private int headerCrcByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("truncated: the file ends inside the gzip header");
    }
    return b;
  }

  /** Reads the CRC-32 and ISIZE fields, checks them, then requires the end of the file. */
  private void readTrailer() throws IOException {
    int leftover = inflater.getRemaining();
    int position = bufferFilled - leftover;
    byte[] trailer = new byte[TRAILER_BYTES];
    int have = Math.min(leftover, TRAILER_BYTES);
    System.arraycopy(buffer, position, trailer, 0, have);
    position += have;
    while (have < TRAILER_BYTES) {
      int n = in.read(trailer, have, TRAILER_BYTES - have);
      if (n < 0) {
        throw new EOFException("truncated: the file ends inside the gzip trailer");
      }
      have += n;
    }
    long storedCrc = littleEndianInt(trailer, 0);
    long storedSize = littleEndianInt(trailer, 4);
    if (storedCrc != crc.getValue()) {
      throw new ZipException(
          String.format(
              "gzip CRC-32 mismatch: the trailer says %08x, the data gives %08x (corrupt file)",
              storedCrc, crc.getValue()));
    }
    if (storedSize != (inflatedBytes & 0xffffffffL)) {
      throw new ZipException(
          "gzip length mismatch: the trailer says "
              + storedSize
              + " bytes, the data has "
              + inflatedBytes
              + " (corrupt file)");
    }
    int next = position < bufferFilled ? buffer[position++] & 0xff : in.read();
    if (next < 0) {
      return;
    }
    int second = position < bufferFilled ? buffer[position] & 0xff : in.read();
    if (next == ID1 && second == ID2) {
      throw new ZipException("holds a second gzip member after the first; only one is allowed");
    }
    throw new ZipException("has trailing bytes after the end of the gzip data");
  }

  private static long littleEndianInt(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
