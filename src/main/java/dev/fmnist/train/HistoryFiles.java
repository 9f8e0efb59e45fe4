package dev.fmnist.train;

import dev.fmnist.AtomicFiles;
import java.nio.file.Path;

/** Rewrites {@code history.json} and {@code history.csv} in the run directory after each epoch. */
public final class HistoryFiles implements TrainingListener {
  private final Path dir;

  public HistoryFiles(Path runDir) {
    this.dir = runDir;
  }

  @Override
  public void onEpochEnd(EpochRecord record, TrainingHistory history, boolean improved) {
    AtomicFiles.write(dir.resolve("history.json"), history.toJson());
    AtomicFiles.write(dir.resolve("history.csv"), history.toCsv());
  }
}
