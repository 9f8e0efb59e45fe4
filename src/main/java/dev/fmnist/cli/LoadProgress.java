package dev.fmnist.cli;

import dev.fmnist.TerminalText;
import dev.fmnist.data.LoadListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows how reading a dataset of image files goes: a progress bar on a terminal, and a line when
 * it starts and when it is done (they read well in logs).
 */
final class LoadProgress implements LoadListener {
  private final PrintWriter out;
  private final boolean terminal;
  private ProgressBar bar;
  private String what;
  private int total;
  private int done;
  private long started;

  LoadProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Progress for a command's standard output: a bar when it is a terminal. */
  static LoadProgress of(PrintWriter out) {
    return new LoadProgress(out, System.console() != null);
  }

  @Override
  public void started(String what, int total) {
    this.what = what;
    this.total = total;
    this.done = 0;
    this.started = System.nanoTime();
    out.printf(Locale.ROOT, "reading %s from %s%n", TerminalText.plural(total, "image"), TerminalText.escape(what));
    out.flush();
    if (terminal) {
      bar = new ProgressBarBuilder().setTaskName("images").setInitialMax(total).showSpeed().build();
    }
  }

  @Override
  public void progressed(int done) {
    this.done = done;
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void finished() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    if (what != null && done == total) {
      out.printf(Locale.ROOT, "read %s in %.1f s%n", TerminalText.plural(total, "image"), (System.nanoTime() - started) / 1e9);
      out.flush();
    }
    what = null;
  }
}
