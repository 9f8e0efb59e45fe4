package dev.fmnist.data;

import java.nio.file.Path;

/**
 * A dataset file that is not a valid IDX file. The message is one
 * line, {@code <file>: <problem>}.
 */
public final class IdxFormatException extends DatasetException {
  private static final long serialVersionUID = 1L;
  private final String problem;

  public IdxFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.problem = problem;
  }

  /** The problem alone, without the file name. */
  public String problem() {
    return problem;
  }
}
