package dev.fmnist.data;

import dev.fmnist.ExitCode;
import dev.fmnist.FmnistException;
import java.nio.file.Path;

/**
 * A dataset file that is not a valid Fashion-MNIST IDX file (exit code 2). The message is one
 * line, {@code <file>: <problem>}.
 */
public final class IdxFormatException extends FmnistException {
  private static final long serialVersionUID = 1L;
  private final String problem;

  public IdxFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(ExitCode.BAD_INPUT, file + ": " + problem, cause);
    this.problem = problem;
  }

  /** The problem alone, without the file name. */
  public String problem() {
    return problem;
  }
}
