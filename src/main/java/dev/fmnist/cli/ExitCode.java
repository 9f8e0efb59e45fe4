package dev.fmnist.cli;

import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import dev.fmnist.StorageException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetException;
import dev.fmnist.train.TrainingDivergedException;
import java.io.UncheckedIOException;

/**
 * The process exit codes of {@code fmnist} (docs/contracts.md), and the one place that maps the
 * library's exception types to them.
 */
public final class ExitCode {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** An unexpected internal error (a bug): run again with {@code --verbose} for the stack trace. */
  public static final int INTERNAL = 1;
  /** Bad input: usage, config, dataset file, an incompatible or refused model. */
  public static final int BAD_INPUT = 2;
  /** An I/O failure: disk full, unwritable path. */
  public static final int IO_FAILURE = 3;
  /** Training diverged: the loss became NaN or infinite. */
  public static final int DIVERGED = 4;

  private ExitCode() {}

  /**
   * The exit code for a failure: its type decides.
   *
   * @param e the failure
   * @return {@link #BAD_INPUT}, {@link #IO_FAILURE}, {@link #DIVERGED}, or {@link #INTERNAL} for
   *     anything else
   */
  public static int of(Throwable e) {
    if (e instanceof ConfigException || e instanceof DatasetException || e instanceof ModelException) {
      return BAD_INPUT;
    }
    if (e instanceof StorageException || e instanceof UncheckedIOException) {
      return IO_FAILURE;
    }
    if (e instanceof TrainingDivergedException) {
      return DIVERGED;
    }
    if (e instanceof FmnistException) {
      return BAD_INPUT; // a failure the user can act on, of a kind added without a code of its own
    }
    return INTERNAL;
  }
}
