package dev.fmnist.data;

import dev.fmnist.FmnistException;

/**
 * Dataset or image files that cannot be used: missing, unreadable, malformed, or inconsistent with
 * each other. The message names the file.
 */
public class DatasetException extends FmnistException {
  private static final long serialVersionUID = 1L;

  /**
   * A dataset failure described by a one-line message.
   *
   * @param message {@code <file or directory>: <problem>}
   */
  public DatasetException(String message) {
    super(message);
  }

  /**
   * A dataset failure described by a one-line message, with the exception that caused it.
   *
   * @param message {@code <file or directory>: <problem>}
   * @param cause the underlying failure, or null
   */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
