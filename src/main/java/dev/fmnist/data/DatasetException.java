package dev.fmnist.data;

import dev.fmnist.FmnistException;

/**
 * Dataset or image files that cannot be used: missing, unreadable, malformed, or inconsistent with
 * each other. The message names the file.
 */
public class DatasetException extends FmnistException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
