package dev.fmnist;

/** Reading or writing a file failed: disk full, a read-only or unwritable path, a missing directory. */
public class StorageException extends FmnistException {
  private static final long serialVersionUID = 1L;

  /**
   * A read or write failure described by a one-line message, with the I/O exception that caused it.
   *
   * @param message {@code <path>: <problem>}
   * @param cause the underlying I/O failure, or null
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A read or write failure described by a one-line message.
   *
   * @param message {@code <path>: <problem>}, e.g. {@code runs/cnn/history.csv: cannot write: No
   *     space left on device}
   */
  public StorageException(String message) {
    super(message);
  }
}
