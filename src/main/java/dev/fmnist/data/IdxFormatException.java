package dev.fmnist.data;

import dev.fmnist.ExitCode;
import dev.fmnist.FmnistException;
import java.nio.file.Path;

/** A dataset file that is not a valid Fashion-MNIST IDX file (exit code 2). */
public final class IdxFormatException extends FmnistException {
  private static final long serialVersionUID = 1L;

  public IdxFormatException(Path file, String problem) {
    super(ExitCode.BAD_INPUT, file + ": " + problem, null);
  }

  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(ExitCode.BAD_INPUT, file + ": " + problem, cause);
  }
}
