package dev.fmnist.data;

import java.nio.file.Path;

/**
 * A dataset file that is not a valid IDX file. The message is one
 * line, {@code <file>: <problem>}.
 */
public final class IdxFormatException extends DatasetException {
  private static final long serialVersionUID = 1L;
  /** What is wrong, without the file name. */
  private final String problem;

  /**
   * A file that is not a valid IDX file.
   *
   * @param file the file
   * @param problem what is wrong with it
   */
  public IdxFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * A file that is not a valid IDX file, with the exception that revealed it.
   *
   * @param file the file
   * @param problem what is wrong with it
   * @param cause the underlying failure, or null
   */
  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.problem = problem;
  }

  /**
   * The problem alone, without the file name.
   *
   * @return what is wrong, e.g. {@code truncated: ...}
   */
  public String problem() {
    return problem;
  }
}
