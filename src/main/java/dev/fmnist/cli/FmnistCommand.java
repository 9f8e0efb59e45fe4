package dev.fmnist.cli;

import dev.fmnist.TerminalText;
import dev.fmnist.FmnistException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command, {@code fmnist}. Subcommands do the work; this class maps failures to exit codes. */
@Command(
    name = "fmnist",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Train, export and evaluate Fashion-MNIST classifiers with TensorFlow Java.",
    subcommands = {CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:unexpected internal error (rerun with --verbose for the stack trace)",
      "2:bad input (usage, config, dataset file, incompatible or refused model)",
      "3:I/O failure (disk full, unwritable path)",
      "4:training diverged (NaN or infinite loss)"
    })
public final class FmnistCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors, and more detail while working.")
  boolean verbose;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * Builds the command line with every subcommand, printing to the given writers.
   *
   * @param out receives the commands' output
   * @param err receives errors and usage messages
   * @return the command line
   */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FmnistCommand());
    for (Object sub : Subcommands.all()) {
      cl.addSubcommand(sub);
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  /**
   * Runs {@code fmnist} with the given arguments and returns the exit code. Tests call this
   * in-process; {@link dev.fmnist.Main} is the only caller that exits.
   *
   * @param out receives the commands' output
   * @param err receives errors
   * @param args the command-line arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cl = newCommandLine(out, err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter e = ex.getCommandLine().getErr();
          e.println("error: " + TerminalText.escape(ex.getMessage()));
          e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          e.flush();
          return ExitCode.BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> report(commandLine.getErr(), ex, verbose));
    try {
      return cl.execute(args);
    } catch (RuntimeException | Error ex) { // thrown by a handler itself; still one line
      return report(err, ex, verbose);
    } finally {
      dev.fmnist.AtomicFiles.forgetReading(); // the inputs this command protected from its own outputs
    }
  }

  /**
   * The out-of-memory line: the heap limit this JVM has and a larger one to try (bin/fmnist's
   * default is already {@code -Xmx4g}, so suggesting that would not help).
   *
   * @param maxHeapBytes {@code Runtime.maxMemory()}
   * @return e.g. {@code out of memory: the Java heap limit is 4.0 GB; raise it, e.g. JAVA_OPTS=-Xmx8g, or give less
   *     work at once (a smaller --batch-size, fewer files)}
   */
  static String outOfMemory(long maxHeapBytes) {
    long gb = Math.max(1, (maxHeapBytes + (1L << 29)) >> 30);
    return String.format(java.util.Locale.ROOT, "out of memory: the Java heap limit is %.1f GB; raise it, e.g."
        + " JAVA_OPTS=-Xmx%dg, or give less work at once (a smaller --batch-size, fewer files)",
        maxHeapBytes / (double) (1L << 30), 2 * gb);
  }

  /** Prints one {@code error:} line (and the stack trace when verbose) and returns the exit code. */
  static int report(PrintWriter err, Throwable ex, boolean verbose) {
    int code = ExitCode.of(ex);
    String message;
    if (ex instanceof FmnistException fe) {
      message = fe.getMessage();
    } else if (ex instanceof UncheckedIOException io) {
      message = "I/O failure: " + io.getCause().getMessage();
    } else if (ex instanceof OutOfMemoryError) {
      message = outOfMemory(Runtime.getRuntime().maxMemory());
    } else {
      message =
          "internal error: "
              + ex.getClass().getSimpleName()
              + (ex.getMessage() == null ? "" : ": " + FmnistException.firstLine(ex.getMessage()))
              + (verbose ? "" : " (rerun with --verbose for the stack trace)");
    }
    err.println("error: " + TerminalText.escape(FmnistException.firstLine(message)));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

}
