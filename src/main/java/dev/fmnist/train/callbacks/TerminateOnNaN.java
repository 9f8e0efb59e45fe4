package dev.fmnist.train.callbacks;

import dev.fmnist.train.Callback;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;
import dev.fmnist.train.TrainingDivergedException;
import java.util.Locale;

/**
 * Ends training at once when the loss becomes NaN or infinite (Keras's {@code TerminateOnNaN}),
 * with a {@link TrainingDivergedException} that says where and what to try. The checkpoints of the
 * completed epochs stay as they are.
 */
public final class TerminateOnNaN implements Callback {
  @Override
  public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
    double loss = logs.getOrNaN(Logs.LOSS);
    if (!Double.isFinite(loss)) {
      throw new TrainingDivergedException(String.format(Locale.ROOT,
          "training diverged: the loss became %s at epoch %d, step %d; try a lower learning rate "
              + "(training.adam.learning_rate is %s) or a smaller batch; checkpoints up to epoch %d are intact",
          (float) loss, epoch, batch + 1, context.recipe().training().adam().learningRate(), epoch - 1));
    }
  }
}
