package dev.fmnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads a whole small file (a recipe, a list of class names, an image, the JSON beside a model, an
 * ONNX model) under a size limit that holds whatever the file system reports: only a regular file
 * is opened (a FIFO would block, a device never end), and reading stops within one 64 KiB chunk
 * past the limit, so a file whose size is misreported (files under {@code /proc} say 0 bytes) or that grows
 * while it is read is refused instead of filling the heap. The one place where fmnist reads a
 * whole file into memory.
 */
public final class SmallFiles {
  private static final int CHUNK_BYTES = 1 << 16;

  private SmallFiles() {}

  /**
   * The content of {@code file}, at most {@code maxBytes} long.
   *
   * @param file the file
   * @param maxBytes the most bytes read, at most {@code Integer.MAX_VALUE - 16}
   * @param what what the file should be, for messages, e.g. {@code a YAML recipe file}
   * @param refusal makes the exception for a refused file from its one-line message ({@code <file>:
   *     is a directory, expected <what>}, {@code not a regular file, expected <what>}, {@code <n> bytes,
   *     larger than the <limit> fmnist reads from <what>})
   * @param <E> the caller's exception type
   * @return the bytes
   * @throws E for a directory, anything but a regular file, or a file over the limit
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws IOException when it cannot be read
   */
  public static <E extends RuntimeException> byte[] read(Path file, long maxBytes, String what,
      Function<String, E> refusal) throws IOException {
    if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes must be 0 to " + (Integer.MAX_VALUE - 16) + ", found " + maxBytes);
    }
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (a.isDirectory()) {
      throw refusal.apply(file + ": is a directory, expected " + what);
    }
    if (!a.isRegularFile()) {
      throw refusal.apply(file + ": not a regular file, expected " + what);
    }
    if (a.size() > maxBytes) {
      throw refusal.apply(tooLarge(file, a.size(), maxBytes, what));
    }
    try (InputStream in = Files.newInputStream(file)) {
      ByteArrayOutputStream content = new ByteArrayOutputStream((int) Math.min(a.size(), maxBytes));
      byte[] chunk = new byte[CHUNK_BYTES]; // whole chunks: some files under /proc refuse odd-sized reads
      long total = 0;
      for (int n; (n = in.read(chunk)) > 0; ) {
        total += n;
        if (total > maxBytes) {
          throw refusal.apply(String.format(Locale.ROOT, "%s: more than the %s fmnist reads from %s (the file"
              + " system said %,d bytes: it grew, or its size is not known before it is read)",
              file, limit(maxBytes), what, a.size()));
        }
        content.write(chunk, 0, n);
      }
      return content.toByteArray();
    }
  }

  /**
   * The message for a file over a limit.
   *
   * @param file the file
   * @param size its size in bytes
   * @param maxBytes the limit
   * @param what what the file should be, e.g. {@code a manifest}
   * @return {@code <file>: <size> bytes, larger than the <limit> fmnist reads from <what>}
   */
  public static String tooLarge(Path file, long size, long maxBytes, String what) {
    return String.format(Locale.ROOT, "%s: %,d bytes, larger than the %s fmnist reads from %s",
        file, size, limit(maxBytes), what);
  }

  /** {@code 1 GB} for whole gibibytes, {@code 16 MB} for whole mebibytes, else {@code 1,000 bytes}. */
  private static String limit(long bytes) {
    return bytes > 0 && bytes % (1 << 30) == 0 ? String.format(Locale.ROOT, "%,d GB", bytes >> 30)
        : bytes > 0 && bytes % (1 << 20) == 0
        ? String.format(Locale.ROOT, "%,d MB", bytes >> 20)
        : String.format(Locale.ROOT, "%,d bytes", bytes);
  }
}
