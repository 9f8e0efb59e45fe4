package dev.fmnist.train.callbacks;

import dev.fmnist.train.Callback;
import dev.fmnist.train.EpochRecord;
import dev.fmnist.train.Logs;
import dev.fmnist.train.TrainingContext;
import dev.fmnist.train.TrainingResult;
import dev.fmnist.train.tensorboard.TensorBoardLogger;
import java.util.List;
import java.util.Map;

/**
 * Writes TensorBoard event files into {@code <run-dir>/tensorboard/} as Keras's {@code TensorBoard}
 * callback lays them out ({@link TensorBoardLogger}): per-epoch scalars of every metric in {@code
 * train/} and {@code validation/}, batch scalars every {@code batchFrequency} steps when asked,
 * weight and gradient histograms per epoch, the graph. A resumed run rewrites the files so every
 * step is there once. A run adds it before {@link ModelCheckpoint}: an epoch's events are flushed
 * before its checkpoint, as the logger's ordering rule asks.
 */
public final class TensorBoard implements Callback, AutoCloseable {
  private final int batchFrequency;
  private final boolean histograms;
  private TensorBoardLogger logger;

  /**
   * @param batchFrequency write batch scalars every this many steps; 0 for none
   * @param histograms write weight and gradient histograms each epoch
   * @throws IllegalArgumentException when {@code batchFrequency} is negative
   */
  public TensorBoard(int batchFrequency, boolean histograms) {
    if (batchFrequency < 0) {
      throw new IllegalArgumentException("batch frequency must be >= 0, found " + batchFrequency);
    }
    this.batchFrequency = batchFrequency;
    this.histograms = histograms;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    logger = TensorBoardLogger.inRunDirectory(context.runDirectory(), batchFrequency, context.log());
    List<Map<String, Double>> rows = context.history().epochs().stream().map(EpochRecord::toLogs)
        .map(Logs::asMap).toList();
    logger.start(context.initialEpoch(), context.step(), rows, context.graphDef());
  }

  @Override
  public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
    logger.batchEnd(context.step(), logs.asMap());
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
    Map<String, float[]> weights = histograms ? context.variableValues() : Map.of();
    Map<String, float[]> gradients = histograms ? context.gradientValues() : Map.of();
    logger.epochEnd(epoch, context.history().epoch(epoch).toLogs().asMap(), weights, gradients);
  }

  @Override
  public void onTrainEnd(TrainingResult result, TrainingContext context) {
    close();
  }

  @Override
  public void close() {
    if (logger != null) {
      logger.close();
      logger = null;
    }
  }
}
