package dev.fmnist.cli;

import dev.fmnist.data.DatasetFile;
import dev.fmnist.data.DownloadListener;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows download progress: a progress bar on a terminal, otherwise plain lines (start, every
 * quarter, end) that read well in logs.
 */
final class DownloadProgress extends TerminalProgress implements DownloadListener {
  private static final int QUARTERS = 4;
  private static final long KILOBYTE = 1_000L;
  private static final long MEGABYTE = 1_000_000L;

  private String name;
  private long contentLength;
  private int quartersShown;

  DownloadProgress(PrintWriter out, boolean terminal) {
    super(out, terminal);
  }

  @Override
  public void alreadyPresent(DatasetFile file, Path existing) {
    out.println(file.gzipFileName() + ": already present and verified (" + existing + ")");
    out.flush();
  }

  @Override
  public void transferStarted(DatasetFile file, URI source, long contentLength) {
    this.name = file.gzipFileName();
    this.contentLength = contentLength;
    this.quartersShown = 0;
    boolean large = contentLength >= MEGABYTE;
    startBar(new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(contentLength)
        .setUnit(large ? "MB" : "kB", large ? MEGABYTE : KILOBYTE));
    if (!terminal) {
      out.println(name + ": downloading" + (contentLength >= 0 ? " " + size(contentLength) : ""));
      out.flush();
    }
  }

  @Override
  public void transferred(long bytes) {
    if (!stepBar(bytes) && contentLength > 0) {
      int quarters = (int) (QUARTERS * bytes / contentLength);
      if (quarters > quartersShown && quarters < QUARTERS) {
        quartersShown = quarters;
        out.printf(Locale.ROOT, "%s: %d%% (%s)%n", name, 100 * quarters / QUARTERS, size(bytes));
        out.flush();
      }
    }
  }

  @Override
  public void transferEnded() {
    closeBar();
  }

  @Override
  public void saved(DatasetFile file, Path target, long bytes) {
    out.println(file.gzipFileName() + ": " + size(bytes) + ", SHA-256 verified, saved as " + target);
    out.flush();
  }

  /** {@code 26.4 MB}, or {@code 29.5 kB} below a megabyte. */
  static String size(long bytes) {
    return bytes >= MEGABYTE
        ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) MEGABYTE)
        : String.format(Locale.ROOT, "%.1f kB", bytes / (double) KILOBYTE);
  }
}
