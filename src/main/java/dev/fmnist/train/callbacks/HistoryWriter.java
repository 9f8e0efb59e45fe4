package dev.fmnist.train.callbacks;

import dev.fmnist.AtomicFiles;
import dev.fmnist.train.Callback;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;
import java.nio.file.Path;

/**
 * Rewrites {@code history.json} and {@code history.csv} in the run directory after each epoch
 * (every metric of the logs a column, callbacks' metrics included).
 */
public final class HistoryWriter implements Callback {
  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    Path dir = context.runDirectory();
    AtomicFiles.write(dir.resolve("history.json"), context.history().toJson());
    AtomicFiles.write(dir.resolve("history.csv"), context.history().toCsv());
  }
}
