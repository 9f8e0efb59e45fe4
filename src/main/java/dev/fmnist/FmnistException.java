package dev.fmnist;

/**
 * A failure the user can act on. Its message is printed as one line, {@code error: <message>}, and
 * the process exits with {@link #exitCode()}. By convention the message starts with the thing it
 * is about (a file, a config key) followed by a colon and the problem.
 */
public class FmnistException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  protected FmnistException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process exit code this failure maps to (see {@link ExitCode}). */
  public int exitCode() {
    return exitCode;
  }

  /** Bad input (exit code 2): a file, config key, argument or model that cannot be used. */
  public static FmnistException badInput(String message) {
    return new FmnistException(ExitCode.BAD_INPUT, message, null);
  }

  /** Bad input (exit code 2), keeping the underlying cause for {@code --verbose}. */
  public static FmnistException badInput(String message, Throwable cause) {
    return new FmnistException(ExitCode.BAD_INPUT, message, cause);
  }

  /** An I/O failure (exit code 3): disk full, unwritable path. */
  public static FmnistException io(String message, Throwable cause) {
    return new FmnistException(ExitCode.IO_FAILURE, message, cause);
  }

  /** Training diverged (exit code 4). */
  public static FmnistException diverged(String message) {
    return new FmnistException(ExitCode.DIVERGED, message, null);
  }

  /**
   * The first line of a message, trimmed ({@code "no detail"} for null): native and library
   * messages often run to several lines, and an error is one line.
   */
  public static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).trim();
  }
}
