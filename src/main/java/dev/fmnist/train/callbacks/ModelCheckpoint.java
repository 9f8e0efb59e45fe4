package dev.fmnist.train.callbacks;

import dev.fmnist.train.Callback;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;

/**
 * Writes a checkpoint at the end of every epoch ({@code <run-dir>/checkpoints/epoch-NNNN/}: the
 * weights, Adam's moments, the step, the history and the stateful callbacks' states) and deletes
 * all but the newest {@code checkpoints_kept} and the best epoch's. What {@code --resume} continues
 * from; a run always has one.
 */
public final class ModelCheckpoint implements Callback {
  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    context.saveCheckpoint();
    context.pruneCheckpoints(context.history().bestEpoch(context.recipe().training().earlyStopping().minDelta()));
  }
}
