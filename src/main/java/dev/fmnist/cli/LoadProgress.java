package dev.fmnist.cli;

import dev.fmnist.TerminalText;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.LoadListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows how reading a dataset of image files goes: a progress bar on a terminal, and a line when
 * it starts and when it is done (they read well in logs).
 */
final class LoadProgress extends TerminalProgress implements LoadListener {
  private String what;
  private int total;
  private int done;
  private long started;
  private Consumer<DatasetSpec> check = spec -> {};

  LoadProgress(PrintWriter out, boolean terminal) {
    super(out, terminal);
  }

  /** Progress for a command's standard output: a bar when it is a terminal. */
  static LoadProgress of(PrintWriter out) {
    return new LoadProgress(out, onTerminal());
  }

  /** This progress, also passing what the images are to {@code check} before any is decoded. */
  LoadProgress checking(Consumer<DatasetSpec> check) {
    this.check = check;
    return this;
  }

  @Override
  public void described(DatasetSpec spec) {
    check.accept(spec);
  }

  @Override
  public void started(String what, int total) {
    this.what = what;
    this.total = total;
    this.done = 0;
    this.started = System.nanoTime();
    out.printf(Locale.ROOT, "reading %s from %s%n", TerminalText.plural(total, "image"), TerminalText.escape(what));
    out.flush();
    startBar(new ProgressBarBuilder().setTaskName("images").setInitialMax(total));
  }

  @Override
  public void progressed(int done) {
    this.done = done;
    stepBar(done);
  }

  @Override
  public void finished() {
    closeBar();
    if (what != null && done == total) {
      out.printf(Locale.ROOT, "read %s in %.1f s%n", TerminalText.plural(total, "image"), (System.nanoTime() - started) / 1e9);
      out.flush();
    }
    what = null;
  }
}
