package dev.fmnist;

/** Reading or writing a file failed: disk full, a read-only or unwritable path, a missing directory. */
public class StorageException extends FmnistException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
