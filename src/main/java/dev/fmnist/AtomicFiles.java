package dev.fmnist;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * Writes files so that readers see either the old file or the complete new one, never a part:
 * the content goes to a temporary sibling ({@code .<name>.<random>.tmp}), which is then renamed
 * over the target with {@link StandardCopyOption#ATOMIC_MOVE}. On failure the temporary file is
 * deleted.
 */
public final class AtomicFiles {
  private static final String TEMP_SUFFIX = ".tmp";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Writes content to an output stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically, creating its directory if needed.
   *
   * @throws FmnistException (I/O failure, exit code 3) naming the target when writing fails
   */
  public static void write(Path target, Content content) {
    Path temp = null;
    try {
      temp = createTempSibling(target);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
        content.writeTo(out);
      }
      moveIntoPlace(temp, target);
      temp = null;
    } catch (IOException e) {
      throw FmnistException.io(target + ": cannot write: " + describe(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /**
   * Creates an empty temporary file beside {@code target} (and the directory, if missing), with
   * the permissions a new file normally gets (unlike {@link Files#createTempFile}, owner-only).
   */
  public static Path createTempSibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    while (true) {
      String unique = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, Character.MAX_RADIX);
      Path temp = dir.resolve("." + target.getFileName() + "." + unique + TEMP_SUFFIX);
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException taken) {
        // another writer picked the same name: draw again
      }
    }
  }

  /** Renames the finished {@code temp} over {@code target} in one step. */
  public static void moveIntoPlace(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes {@code file} if it is not null and exists, ignoring failures (for cleanup paths). */
  public static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the original failure matters more than a leftover temporary file
    }
  }

  /** An exception's message, or its type when it has none (many JDK I/O exceptions). */
  public static String describe(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return type;
    }
    return e instanceof java.nio.file.FileSystemException ? type + ": " + message : message;
  }
}
