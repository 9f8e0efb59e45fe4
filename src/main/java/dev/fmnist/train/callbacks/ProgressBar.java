package dev.fmnist.train.callbacks;

import dev.fmnist.train.Callback;
import dev.fmnist.train.EpochRecord;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress like Keras: on a terminal, a bar per epoch with running loss, accuracy
 * and ETA; otherwise (logs, pipes) one plain line per epoch, so logs stay readable. The epoch line
 * lists the standard metrics, then any a callback added; {@code *} marks an epoch whose validation
 * loss improved.
 */
public final class ProgressBar implements Callback {
  /** Columns of the bar when the terminal's width is unknown (the library's own guess collapses it). */
  static final int FALLBACK_WIDTH = 100;

  private final PrintWriter out;
  private final PrintStream terminal;
  private me.tongfei.progressbar.ProgressBar bar;

  /**
   * @param out where epoch lines go
   * @param terminal the terminal to draw bars on, or null for plain lines
   */
  public ProgressBar(PrintWriter out, PrintStream terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    if (terminal != null) {
      bar = new ProgressBarBuilder()
          .setTaskName(String.format(Locale.ROOT, "Epoch %d/%d", epoch, context.epochs()))
          .setInitialMax(context.batchesPerEpoch())
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .setUnit(" steps", 1)
          .setConsumer(new ConsoleProgressBarConsumer(terminal, widthFor(System.getenv("COLUMNS"))))
          .build();
    }
  }

  /**
   * The bar's width: {@code $COLUMNS} when it holds a width of 40 or more, else {@link
   * #FALLBACK_WIDTH}. The progress bar library asks the terminal itself, and where it cannot tell
   * (no TTY, a pipe, an IDE) it draws an empty {@code [ ]}.
   *
   * @param columns the {@code COLUMNS} environment variable, or null
   * @return the width in characters
   */
  public static int widthFor(String columns) {
    try {
      int c = columns == null ? 0 : Integer.parseInt(columns.trim());
      return c >= 40 ? c : FALLBACK_WIDTH;
    } catch (NumberFormatException e) {
      return FALLBACK_WIDTH;
    }
  }

  @Override
  public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
    if (bar != null) {
      bar.stepTo(batch + 1L);
      if (batch % 10 == 0 || batch == context.batchesPerEpoch() - 1) {
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f",
            logs.getOrNaN(Logs.LOSS), logs.getOrNaN(Logs.ACCURACY)));
      }
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    EpochRecord r = context.history().epoch(epoch);
    boolean improved = context.history().improved(epoch, context.recipe().training().earlyStopping().minDelta());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f", r.epoch(), context.epochs(), r.seconds(), r.loss(),
        r.accuracy()));
    if (!Double.isNaN(r.valLoss())) {
      sb.append(String.format(Locale.ROOT, " - val_loss: %.4f - val_accuracy: %.4f%s",
          r.valLoss(), r.valAccuracy(), improved ? " *" : ""));
    }
    sb.append(String.format(Locale.ROOT, " - lr: %.3g", r.learningRate()));
    for (Map.Entry<String, Double> e : r.extra().entrySet()) {
      sb.append(String.format(Locale.ROOT, " - %s: %.4g", e.getKey(), e.getValue()));
    }
    out.println(sb);
    out.flush();
  }
}
