package dev.fmnist.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * What the progress displays share: the command's output, whether it is a terminal (then a
 * progress bar is drawn), and the bar of the task under way.
 */
abstract class TerminalProgress {
  /** The command's standard output. */
  final PrintWriter out;
  /** Whether {@link #out} is a terminal, so that a bar can be drawn. */
  final boolean terminal;
  private ProgressBar bar;

  TerminalProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether this process's standard output is a terminal. */
  static boolean onTerminal() {
    return System.console() != null;
  }

  /** Starts a bar, on a terminal only, for the task {@code builder} describes (its speed shown). */
  final void startBar(ProgressBarBuilder builder) {
    if (terminal) {
      bar = builder.showSpeed().build();
    }
  }

  /** Moves the bar, if there is one, to {@code done}; returns whether there is one. */
  final boolean stepBar(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
    return bar != null;
  }

  /** Closes the bar of the task that ended, if there is one. */
  final void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
