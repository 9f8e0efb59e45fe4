package dev.fmnist.train.callbacks;

import dev.fmnist.TerminalText;
import dev.fmnist.config.EarlyStoppingSpec;
import dev.fmnist.train.Callback;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;
import dev.fmnist.train.TrainingHistory;
import java.util.Locale;

/**
 * Stops training when the validation loss has not improved by more than {@code min_delta} for
 * {@code patience} epochs (Keras's {@code EarlyStopping} on {@code val_loss}); the run then
 * exports the best epoch's weights ({@link TrainingHistory#resultEpoch}). Its counters are replayed
 * from the history, so a resumed run decides exactly as an uninterrupted one, and resuming a run
 * that already stopped trains nothing.
 */
public final class EarlyStopping implements Callback {
  private final EarlyStoppingSpec spec;

  /**
   * @param spec patience and min_delta
   * @throws IllegalArgumentException when {@code spec} is off (patience 0)
   */
  public EarlyStopping(EarlyStoppingSpec spec) {
    if (!spec.enabled()) {
      throw new IllegalArgumentException("early stopping needs a patience of 1 or more");
    }
    this.spec = spec;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    check(context);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    check(context);
  }

  private void check(TrainingContext context) {
    TrainingHistory h = context.history();
    int last = h.epochs().size();
    if (last == 0) {
      return;
    }
    int best = h.bestEpoch(spec.minDelta());
    int wait = last - best;
    if (wait >= spec.patience() && last < context.epochs()) {
      context.stopTraining(String.format(Locale.ROOT,
          "early stopping: the validation loss has not improved for %s (best %.4f at epoch %d)",
          TerminalText.plural(wait, "epoch"),
          best > 0 ? h.epoch(best).valLoss() : Double.NaN, best));
    }
  }
}
