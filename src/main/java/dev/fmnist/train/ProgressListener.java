package dev.fmnist.train;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress like Keras: on a terminal, a bar per epoch with running loss, accuracy
 * and ETA; otherwise (logs, pipes) one plain line per epoch, so logs stay readable.
 */
public final class ProgressListener implements TrainingListener {
  private final PrintWriter out;
  private final PrintStream terminal;
  private int epochs;
  private int batches;
  private ProgressBar bar;

  /**
   * @param out where epoch lines go
   * @param terminal the terminal to draw bars on, or null for plain lines
   */
  public ProgressListener(PrintWriter out, PrintStream terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onTrainingStart(int startEpoch, int epochs, int batchesPerEpoch, int trainSize, int validationSize) {
    this.epochs = epochs;
    this.batches = batchesPerEpoch;
  }

  @Override
  public void onEpochStart(int epoch) {
    if (terminal != null) {
      bar = new ProgressBarBuilder()
          .setTaskName(String.format(Locale.ROOT, "Epoch %d/%d", epoch, epochs))
          .setInitialMax(batches)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .setUnit(" steps", 1)
          .setConsumer(new ConsoleProgressBarConsumer(terminal))
          .build();
    }
  }

  @Override
  public void onBatchEnd(int epoch, int batch, double loss, double accuracy) {
    if (bar != null) {
      bar.stepTo(batch + 1L);
      if (batch % 10 == 0 || batch == batches - 1) {
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f", loss, accuracy));
      }
    }
  }

  @Override
  public void onEpochEnd(EpochRecord r, TrainingHistory history, boolean improved) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f", r.epoch(), epochs, r.seconds(), r.loss(), r.accuracy()));
    if (!Double.isNaN(r.valLoss())) {
      sb.append(String.format(Locale.ROOT, " - val_loss: %.4f - val_accuracy: %.4f%s",
          r.valLoss(), r.valAccuracy(), improved ? " *" : ""));
    }
    sb.append(String.format(Locale.ROOT, " - lr: %.3g", r.learningRate()));
    out.println(sb);
    out.flush();
  }
}
