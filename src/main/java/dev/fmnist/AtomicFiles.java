package dev.fmnist;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that are never seen half-done: data goes to a temporary sibling, is flushed to disk, then
 * renamed over the target in one step. Failures become a {@link StorageException} naming the path.
 */
public final class AtomicFiles {
  /** Suffix of temporary files and directories; leftovers with it are safe to delete. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Content written to an output stream, e.g. a PNG encoder. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content.
     *
     * @param out the stream to write to; the caller flushes and closes it
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Atomically replaces {@code target} with {@code bytes}.
   *
   * @param target the file to replace; its directory is created when missing
   * @param bytes the complete new content
   * @throws StorageException when the file cannot be written; {@code target} is then left as it was
   */
  public static void write(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /**
   * Atomically replaces {@code target} with what {@code content} writes.
   *
   * @param target the file to replace; its directory is created when missing
   * @param content writes the complete new content to the stream it is given
   * @throws StorageException when the file cannot be written; {@code target} is then left as it was
   */
  public static void write(Path target, Content content) {
    Path tmp = null;
    try {
      tmp = createTempSibling(target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch))) {
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      move(tmp, target);
      tmp = null;
      forceDirectory(target.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StorageException(target + ": cannot write: " + describe(e), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Flushes a file's data to the disk.
   *
   * @param file an existing regular file
   * @throws IOException when the file cannot be opened or flushed
   */
  public static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Flushes a directory's entries (names created, renamed or deleted in it) to the disk, so that
   * a rename survives a power loss. Quietly does nothing where the file system does not support it.
   *
   * @param dir the directory whose entries to flush
   */
  public static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not supported here (e.g. some network file systems): the rename itself is still atomic
    }
  }

  /**
   * Deletes what interrupted writes left in {@code dir}: entries named {@code .<something>.tmp},
   * the names this class and the checkpoint and export writers give their temporary files.
   *
   * @param dir the directory to clean; nothing happens when it does not exist
   * @throws StorageException when {@code dir} cannot be listed
   */
  public static void deleteTemporaries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(AtomicFiles::isTemporary).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot list: " + describe(e), e);
    }
  }

  /**
   * Whether {@code p} is named like a temporary file or directory of an atomic write.
   *
   * @param p a path; only its file name is looked at
   * @return true when the name starts with {@code .} and ends with {@value #TEMP_SUFFIX}
   */
  public static boolean isTemporary(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  }

  /**
   * Creates an empty temporary file beside {@code target} (and its directory, if missing) with the
   * permissions new files normally get; {@link Files#createTempFile} would make it owner-only.
   *
   * @param target the file the temporary will later replace
   * @return the new, empty temporary file, named {@code .<target name>-<random>}{@value
   *     #TEMP_SUFFIX}
   * @throws IOException when the directory or the file cannot be created
   */
  public static Path createTempSibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    while (true) {
      String unique = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, Character.MAX_RADIX);
      try {
        return Files.createFile(dir.resolve("." + target.getFileName() + "-" + unique + TEMP_SUFFIX));
      } catch (FileAlreadyExistsException taken) {
        // another writer drew the same name: draw again
      }
    }
  }

  /**
   * Renames {@code from} to {@code to} in one step (same file system), replacing a file.
   *
   * @param from the file to rename
   * @param to its new name; an existing file there is replaced
   * @throws IOException when the rename fails
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Deletes a file or a directory tree, ignoring what cannot be deleted.
   *
   * @param path the file or directory to delete; null or a missing path is ignored
   */
  public static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(path)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a leftover temporary is cleaned up on the next start
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }

  /**
   * A short reason for an I/O failure ("No space left on device", "Permission denied").
   *
   * @param e the failure
   * @return the file system's reason when it gives one, {@code permission denied} for an access
   *     failure, else the exception's message (or its class name when it has none)
   */
  public static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
