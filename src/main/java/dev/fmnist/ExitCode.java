package dev.fmnist;

/** The process exit codes of {@code fmnist}, as documented in docs/contracts.md. */
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
}
