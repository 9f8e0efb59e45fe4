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
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes that are never seen half-done: data goes to a temporary sibling, is flushed to disk, then
 * renamed over the target in one step. Failures become a {@link StorageException} naming the path.
 *
 * <p>Every output goes through here, and a destination is only ever a regular file or nothing:
 * a device, FIFO, socket or directory at the destination is refused, and so is a symbolic link as
 * the last component of the path (parent directories may be links). Paths the process is reading
 * (the model a command loads, the dataset files) are registered with {@link #reading} and nothing
 * is ever written inside them. Commands check their output paths with {@link #requireWritableFile}
 * and {@link #requireWritableDirectory} before any work; {@link #write} and {@link #move} check
 * again just before the rename.
 */
public final class AtomicFiles {
  /** Suffix of temporary files and directories; leftovers with it are safe to delete. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Real paths of what this process reads: nothing is written at or below them. */
  private static final Set<Path> READING = ConcurrentHashMap.newKeySet();

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
    requireReplaceable(target);
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
   * Writes a new file inside a temporary directory of one's own (a staging directory that is
   * renamed into place with {@link #move} once complete): the file must not exist, so nothing is
   * replaced; it is not flushed (the caller flushes or renames the whole directory).
   *
   * @param file the new file
   * @param bytes its content
   * @return {@code file}
   * @throws IOException when it exists or cannot be written
   */
  public static Path writeNew(Path file, byte[] bytes) throws IOException {
    return Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
   * Renames {@code from} to {@code to} in one step (same file system), replacing a regular file.
   *
   * @param from the complete temporary file or directory
   * @param to its destination
   * @throws IOException when the rename fails
   * @throws StorageException when {@code to} is not a regular file or absent ({@link #requireReplaceable})
   */
  public static void move(Path from, Path to) throws IOException {
    requireReplaceable(to);
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

  /**
   * Registers a file or directory this process reads (a model, a dataset file), so that no output
   * is ever written at or below it. A path that does not exist is ignored.
   *
   * @param path what is read
   */
  public static void reading(Path path) {
    try {
      READING.add(path.toRealPath());
    } catch (IOException ignored) {
      // not there (yet): whoever opens it reports that
    }
  }

  /**
   * Forgets every path registered with {@link #reading}; a command calls it when it ends, so that
   * the next command run in the same process starts with its own inputs only.
   */
  public static void forgetReading() {
    READING.clear();
  }

  /**
   * Checks that a file may be written (or replaced) at {@code target}: it is a regular file or
   * absent, not a symbolic link, and not inside anything registered with {@link #reading}.
   *
   * @param target the destination
   * @throws StorageException (exit 3) naming the path and what is there
   */
  public static void requireReplaceable(Path target) {
    BasicFileAttributes a = attributes(target);
    if (a != null && a.isSymbolicLink()) {
      String to;
      try {
        to = Files.readSymbolicLink(target).toString();
      } catch (IOException e) {
        to = "?";
      }
      throw new StorageException(target + ": a symbolic link (to " + to + "); fmnist does not write through"
          + " links: give the real path");
    }
    if (a != null && !a.isRegularFile()) {
      throw new StorageException(target + ": not a regular file (" + kind(target, a)
          + "); fmnist writes only regular files");
    }
    requireOutsideInputs(target);
  }

  /**
   * Checks, before any work, that a file can be written at {@code target}: {@link
   * #requireReplaceable}, and its directory is (or can be made) a writable directory.
   *
   * @param target the file a command will write
   * @throws StorageException (exit 3) naming the path and the problem
   */
  public static void requireWritableFile(Path target) {
    requireReplaceable(target);
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      requireWritableDirectory(parent);
    }
  }

  /**
   * Checks, before any work, that {@code dir} is a directory or can be made one, that a file can
   * be created in it (or in its nearest existing ancestor), and that it is not inside anything
   * registered with {@link #reading}. Nothing is left behind by the check.
   *
   * @param dir the directory a command will write into
   * @throws StorageException (exit 3) naming the path and the problem
   */
  public static void requireWritableDirectory(Path dir) {
    Path existing = dir.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new StorageException(dir + ": cannot write: no existing directory above it");
    }
    if (!Files.isDirectory(existing)) {
      BasicFileAttributes a = attributes(existing);
      String what = existing.equals(dir.toAbsolutePath().normalize()) ? dir.toString() : dir + ": " + existing;
      throw new StorageException(what + ": not a directory (" + (a == null ? "unreadable" : kind(existing, a))
          + ")");
    }
    requireOutsideInputs(dir);
    Path probe = null;
    try {
      probe = Files.createTempFile(existing, ".fmnist-probe-", TEMP_SUFFIX);
    } catch (IOException e) {
      String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() == null ? null : describe(e);
      throw new StorageException(dir + ": cannot write: cannot create a file in " + existing
          + (reason == null ? "" : " (" + reason + ")"), e);
    } finally {
      deleteQuietly(probe);
    }
  }

  /** Refuses {@code target} when it is at or below a path registered with {@link #reading}. */
  private static void requireOutsideInputs(Path target) {
    if (READING.isEmpty()) {
      return;
    }
    Path real = realPathOf(target);
    for (Path input : READING) {
      if (real.startsWith(input)) {
        throw new StorageException(target + ": " + (real.equals(input) ? "is " : "inside ") + input
            + ", which this command reads; fmnist never writes into its inputs");
      }
    }
  }

  /**
   * Refuses to remove {@code path} when it is, or holds, a path registered with {@link #reading}
   * (e.g. {@code --overwrite} removing a run's {@code checkpoints/} that holds the recipe being trained).
   *
   * @param path a file or directory about to be removed
   * @throws StorageException (exit 3) naming the path and the input
   */
  public static void requireRemovable(Path path) {
    Path real = realPathOf(path);
    for (Path input : READING) {
      if (input.startsWith(real)) {
        throw new StorageException(path + ": " + (real.equals(input) ? "is " : "holds ") + input
            + ", which this command reads; not removed");
      }
    }
  }

  /** The real path of {@code p}, its missing tail resolved against its nearest existing ancestor's. */
  private static Path realPathOf(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null) {
      try {
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
      } catch (IOException e) {
        existing = existing.getParent();
      }
    }
    return abs;
  }

  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null; // absent (or unreadable: the write itself will report it)
    }
  }

  /** "a directory", "a FIFO", "a character device", ... for what is at {@code p}. */
  private static String kind(Path p, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    if (a.isRegularFile()) {
      return "a regular file";
    }
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    try {
      int type = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
      switch (type) {
        case 0020000: return "a character device";
        case 0060000: return "a block device";
        case 0010000: return "a FIFO";
        case 0140000: return "a socket";
        default: break;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      // no unix view here
    }
    return "a special file";
  }
}
